#include "nasctl/predict/metric_table.hpp"

#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"

namespace nasctl::predict {

MetricTable read_metric_table(const std::vector<std::string>& files, const TableColumns& columns) {
  if (files.empty()) throw DataError("metric table: no files given; fix: list at least one CSV file");
  if (columns.metrics.empty())
    throw DataError("metric table: no metric columns given; fix: map at least one metric name to a column");
  MetricTable table;
  table.files = files;
  table.architecture_column = columns.architecture;
  for (const auto& [metric, column] : columns.metrics) {
    table.metrics.push_back(metric);
    table.columns.push_back(column);
  }
  for (const auto& file : files) {
    const CsvTable csv = read_csv(file);
    // column() throws "file:1: no column 'x'; columns are ...; fix: ..."
    const std::size_t arch = csv.column(columns.architecture);
    std::vector<std::size_t> metric_columns;
    for (const auto& column : table.columns) metric_columns.push_back(csv.column(column));
    // nasctl's own evaluations.csv says why a metric is missing.
    const bool has_error = csv.has_column("error");
    const std::size_t error = has_error ? csv.column("error") : 0;
    for (std::size_t r = 0; r < csv.rows.size(); ++r) {
      bool failed = false;
      for (std::size_t c : metric_columns) failed = failed || csv.rows[r][c].empty();
      if (failed && has_error && !csv.rows[r][error].empty()) {
        if (table.failed_rows++ == 0) table.first_failed = csv.where(r);
        continue;
      }
      MetricRow row;
      row.architecture = csv.rows[r][arch];
      row.where = csv.where(r);
      for (std::size_t c : metric_columns) row.values.push_back(csv.number(r, c));
      table.rows.push_back(std::move(row));
    }
  }
  if (table.rows.empty()) {
    std::string names;
    for (const auto& f : files) names += (names.empty() ? "" : ", ") + f;
    if (table.failed_rows > 0)
      throw DataError(names + ": all " + std::to_string(table.failed_rows) + " rows are failed evaluations (first: " +
                      table.first_failed + "); fix: give a table with measured rows");
    throw DataError(names + ": no data rows, only headers; fix: give a table with at least one row");
  }
  return table;
}

std::string unit_of_column(const std::string& column) {
  const std::size_t close = column.rfind(')');
  if (close == std::string::npos || close + 1 != column.find_last_not_of(" \t") + 1) return "";
  const std::size_t open = column.rfind('(', close);
  if (open == std::string::npos) return "";
  return column.substr(open + 1, close - open - 1);
}

}  // namespace nasctl::predict
