// What the spaces' CLI tests check on every row of a search's
// evaluations.csv (analytic "cost" + a measure model, "cpu" unless named
// otherwise): the journal holds the space's canonical string, MACs and
// parameters are what lowering the string counts, the network was timed,
// and nothing failed; and the search that writes such a file.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "cli_runner.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"
#include "temp_dir.hpp"

namespace nasctl::test {

inline void check_searched_rows(const CsvTable& t, const SearchSpace& space, const std::string& measured = "cpu") {
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    const std::string arch = t.rows[row][t.column("arch")];
    CAPTURE(arch);
    CHECK(space.to_string(space.parse(arch)) == arch);
    const NetworkCost cost = count_cost(space.lower(space.parse(arch)));
    CHECK(t.number(row, t.column("cost.macs")) == static_cast<double>(cost.macs));
    CHECK(t.number(row, t.column("cost.params")) == static_cast<double>(cost.params));
    CHECK(t.number(row, t.column(measured + ".latency_ms")) > 0.0);
    CHECK(t.rows[row][t.column("error")].empty());
  }
}

// `nasctl search` on `config` (written to dir/cfg.toml) into dir/run: its
// evaluations.csv, which must hold `rows` rows.
inline CsvTable searched_table(const TempDir& dir, const std::string& config, std::size_t rows) {
  write_text(dir / "cfg.toml", config);
  const auto r = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"}, "", 300);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CsvTable t = read_csv(dir / "run/evaluations.csv");
  REQUIRE(t.rows.size() == rows);
  return t;
}

}  // namespace nasctl::test
