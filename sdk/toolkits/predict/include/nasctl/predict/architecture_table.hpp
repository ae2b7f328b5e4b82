// A MetricTable indexed by architecture for one search space: each row's
// architecture text is parsed with space.parse() (canonical or any foreign form
// the space knows) and keyed by space.to_string(space.canonicalize(arch)).
//
// Rows with the same canonical architecture are averaged, metric by metric:
// DyNAS-T's files repeat about 100 sub-networks across runs with accuracies
// that differ by BN re-calibration noise (under 0.1 points), so the mean is
// the best estimate and keeps one training sample per network.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/predict/metric_table.hpp"

namespace nasctl {
class SearchSpace;
}

namespace nasctl::predict {

class ArchitectureTable {
 public:
  struct Entry {
    Architecture arch;           // canonicalized
    std::string canonical;       // its canonical text, the key
    std::vector<double> values;  // mean over its rows, in metrics() order
    std::size_t rows = 0;        // rows averaged
    std::string where;           // "file:line" of its first row
  };

  // Throws DataError "file:line: column '<arch column>': cannot parse ...; fix: ..."
  // for a row whose architecture the space rejects.
  ArchitectureTable(const MetricTable& table, const SearchSpace& space);

  const std::vector<std::string>& metrics() const { return metrics_; }
  const std::vector<std::string>& files() const { return files_; }
  // Distinct architectures, in order of first appearance.
  const std::vector<Entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  // nullptr when the architecture is not in the table.
  const Entry* find(const std::string& canonical) const;
  // Values of one metric over entries(), for fitting predictors.
  std::vector<double> values(std::size_t metric) const;

  std::size_t rows_read() const { return rows_read_; }
  // Rows averaged into an earlier row of the same architecture.
  std::size_t duplicates() const { return rows_read_ - entries_.size(); }

 private:
  std::vector<std::string> metrics_;
  std::vector<std::string> files_;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t rows_read_ = 0;
};

}  // namespace nasctl::predict
