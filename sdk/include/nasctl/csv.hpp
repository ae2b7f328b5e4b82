// Reading and writing CSV files with errors that name file:line (parsing by
// libcsv, RFC 4180 quoting). Tables, lookup tables and journals use it.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace nasctl {

struct CsvTable {
  std::string file;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as wide as the header
  std::vector<std::size_t> lines;              // 1-based file line where each row starts

  // Index of a column; throws DataError listing the columns there are.
  std::size_t column(std::string_view name) const;
  bool has_column(std::string_view name) const;
  // Cell as a finite number; throws DataError "file:line: column 'c': ...".
  double number(std::size_t row, std::size_t column) const;
  // "file:line" of a row, for messages.
  std::string where(std::size_t row) const;
};

// Throws DataError when the file cannot be read, is empty, has a row whose
// width differs from the header's, or has malformed quoting.
CsvTable read_csv(const std::string& path);

// Writes one row, quoting fields that need it.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);
std::string csv_escape(std::string_view field);

}  // namespace nasctl
