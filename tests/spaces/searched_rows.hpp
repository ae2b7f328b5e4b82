// What the spaces' CLI tests check on every row of a search's
// evaluations.csv (analytic "cost" + a measure model, "cpu" unless named
// otherwise): the journal holds the space's canonical string, MACs and
// parameters are what lowering the string counts, the network was timed,
// and nothing failed.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "nasctl/csv.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"

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

}  // namespace nasctl::test
