#include "nasctl/csv.hpp"

#include <csv.h>

#include <cmath>
#include <fstream>
#include <ostream>

#include "nasctl/error.hpp"

namespace nasctl {

namespace {

struct ParseState {
  std::vector<std::string> row;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  std::size_t line = 0;        // line being fed
  std::size_t row_start = 0;   // line where the current row began (0: none yet)
};

void on_field(void* data, std::size_t size, void* raw) {
  auto* s = static_cast<ParseState*>(raw);
  if (s->row_start == 0) s->row_start = s->line;
  s->row.emplace_back(static_cast<const char*>(data), size);
}

void on_row(int, void* raw) {
  auto* s = static_cast<ParseState*>(raw);
  if (s->row_start == 0) s->row_start = s->line;
  // A blank line yields one empty field: skip it rather than call it ragged.
  if (!(s->row.size() == 1 && s->row[0].empty())) {
    s->rows.push_back(std::move(s->row));
    s->lines.push_back(s->row_start);
  }
  s->row.clear();
  s->row_start = 0;
}

}  // namespace

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open CSV file; fix: check the path (relative paths resolve against the config file's folder)");
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
  ParseState state;
  std::string line;
  while (std::getline(in, line)) {
    ++state.line;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    line += '\n';
    if (csv_parse(&parser, line.data(), line.size(), on_field, on_row, &state) != line.size()) {
      const std::string why = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      throw DataError(path + ":" + std::to_string(state.line) + ": malformed CSV (" + why +
                      "); fix: quote fields that contain commas or quotes, doubling inner quotes");
    }
  }
  if (csv_fini(&parser, on_field, on_row, &state) != 0) {
    csv_free(&parser);
    throw DataError(path + ":" + std::to_string(state.line) + ": malformed CSV (unterminated quoted field); fix: close the quote");
  }
  csv_free(&parser);
  if (state.rows.empty()) throw DataError(path + ": CSV file is empty; fix: add a header row and data rows");

  CsvTable table;
  table.file = path;
  table.header = std::move(state.rows.front());
  for (std::size_t i = 1; i < state.rows.size(); ++i) {
    if (state.rows[i].size() != table.header.size())
      throw DataError(path + ":" + std::to_string(state.lines[i]) + ": row has " + std::to_string(state.rows[i].size()) +
                      " fields, the header has " + std::to_string(table.header.size()) +
                      "; fix: give every row one value per column");
    table.rows.push_back(std::move(state.rows[i]));
    table.lines.push_back(state.lines[i]);
  }
  return table;
}

bool CsvTable::has_column(std::string_view name) const {
  for (const auto& h : header) {
    if (h == name) return true;
  }
  return false;
}

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  std::string have;
  for (const auto& h : header) have += (have.empty() ? "'" : ", '") + h + "'";
  throw DataError(file + ":1: no column '" + std::string(name) + "'; columns are " + have +
                  "; fix: name an existing column");
}

std::string CsvTable::where(std::size_t row) const { return file + ":" + std::to_string(lines.at(row)); }

double CsvTable::number(std::size_t row, std::size_t col) const {
  const std::string& cell = rows.at(row).at(col);
  std::size_t used = 0;
  double v = 0.0;
  try {
    v = std::stod(cell, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  while (used < cell.size() && (cell[used] == ' ' || cell[used] == '\t')) ++used;
  if (cell.empty() || used != cell.size() || !std::isfinite(v))
    throw DataError(where(row) + ": column '" + header.at(col) + "': '" + cell + "' is not a finite number; fix: write a number such as 75.4");
  return v;
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << ',';
    out << csv_escape(fields[i]);
  }
  out << '\n';
}

}  // namespace nasctl
