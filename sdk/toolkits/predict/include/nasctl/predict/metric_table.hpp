// Tables of architecture -> measured metrics, read from CSV files such as
// DyNAS-T's (column "Sub-network" holds the architecture, "Top-1 Acc (%)" the
// accuracy). Reading needs no search space, so a plugin reads its files when
// it is constructed and reports file problems before the search starts; the
// architectures are parsed later by ArchitectureTable, once the space is known.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nasctl::predict {

struct TableColumns {
  std::string architecture = "Sub-network";
  // Metric name -> column holding it.
  std::map<std::string, std::string> metrics{{"top1", "Top-1 Acc (%)"}};
};

struct MetricRow {
  std::string architecture;    // the cell as written
  std::vector<double> values;  // one per metric, in MetricTable::metrics order
  std::string where;           // "file:line"
};

struct MetricTable {
  std::vector<std::string> files;
  std::string architecture_column;
  std::vector<std::string> metrics;  // metric names, sorted
  std::vector<std::string> columns;  // the column of each metric
  std::vector<MetricRow> rows;       // every usable data row of every file, in order
  // Rows left out because their evaluation failed: a nasctl evaluations.csv
  // row with an empty metric cell and a non-empty `error` cell (nothing was
  // measured, so there is nothing to look up or learn from).
  std::size_t failed_rows = 0;
  std::string first_failed;          // "file:line" of the first of them
};

// Reads and merges the files (in order), leaving out failed evaluations
// (above). Throws DataError naming file:line for an unreadable or malformed
// file, a missing column (listing those there are), a cell that is not a
// finite number (an empty one too, unless the row's `error` cell says why),
// or no usable data rows at all.
MetricTable read_metric_table(const std::vector<std::string>& files, const TableColumns& columns);

// The unit a column name states in its last parentheses: "Top-1 Acc (%)" ->
// "%", "Latency (ms)" -> "ms", "MACs" -> "".
std::string unit_of_column(const std::string& column);

}  // namespace nasctl::predict
