#include "nasctl/predict/architecture_table.hpp"

#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::predict {

ArchitectureTable::ArchitectureTable(const MetricTable& table, const SearchSpace& space)
    : metrics_(table.metrics), files_(table.files) {
  for (const MetricRow& row : table.rows) {
    Architecture arch;
    std::string canonical;
    try {
      arch = space.canonicalize(space.parse(row.architecture));
      canonical = space.to_string(arch);
    } catch (const Error& e) {
      throw DataError(row.where + ": column '" + table.architecture_column + "': cannot parse the architecture: " +
                      e.what() + "; fix: check that the table was written for this search space and its settings");
    }
    ++rows_read_;
    const auto [it, inserted] = index_.emplace(canonical, entries_.size());
    if (inserted) {
      entries_.push_back({std::move(arch), std::move(canonical), row.values, 1, row.where});
      continue;
    }
    // Running mean, so repeated rows average without a second pass.
    Entry& entry = entries_[it->second];
    ++entry.rows;
    for (std::size_t m = 0; m < entry.values.size(); ++m)
      entry.values[m] += (row.values[m] - entry.values[m]) / static_cast<double>(entry.rows);
  }
}

const ArchitectureTable::Entry* ArchitectureTable::find(const std::string& canonical) const {
  const auto it = index_.find(canonical);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::vector<double> ArchitectureTable::values(std::size_t metric) const {
  std::vector<double> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.values.at(metric));
  return out;
}

}  // namespace nasctl::predict
