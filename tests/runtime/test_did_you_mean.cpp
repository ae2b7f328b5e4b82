// Suggestions in error messages: plausible typos get one, unrelated words none.
#include <doctest/doctest.h>

#include "nasctl/runtime/did_you_mean.hpp"

using nasctl::runtime::closest_match;
using nasctl::runtime::did_you_mean;

TEST_CASE("a one-letter typo is matched to the intended key") {
  const std::vector<std::string> keys{"population", "crossover_prob", "mutation_prob", "max_redraws"};
  CHECK(closest_match("populaton", keys) == "population");
  CHECK(closest_match("mutaton_prob", keys) == "mutation_prob");
  CHECK(closest_match("max_redraw", keys) == "max_redraws");
}

TEST_CASE("a truncated plugin name is matched to the full name") {
  CHECK(closest_match("nsga", {"nsga2", "random"}) == "nsga2");
  CHECK(closest_match("analytik", {"analytic", "measure"}) == "analytic");
}

TEST_CASE("the closest of several candidates wins") {
  CHECK(closest_match("seeed", {"seed", "search", "out"}) == "seed");
  CHECK(closest_match("constraint", {"constraints", "objectives", "budget"}) == "constraints");
}

TEST_CASE("an unrelated word gets no suggestion") {
  CHECK(closest_match("xyz", {"abc", "seed"}).empty());
  CHECK(closest_match("latency", {"population", "batch"}).empty());
  CHECK(closest_match("anything", {}).empty());
}

TEST_CASE("short words allow two edits, long words a third of their length") {
  CHECK(closest_match("ab", {"xy"}) == "xy");  // distance 2 <= max(2, 0)
  CHECK(closest_match("abc", {"xyz"}).empty());  // distance 3 > 2
  // 12 letters: up to 4 edits.
  CHECK(closest_match("abcdefghijkl", {"abcdefghwxyz"}) == "abcdefghwxyz");
  CHECK(closest_match("abcdefghijkl", {"abcdefgvwxyz"}).empty());
}

TEST_CASE("did_you_mean formats a ready-to-append clause, or nothing") {
  CHECK(did_you_mean("seeed", {"seed"}) == "; did you mean 'seed'?");
  CHECK(did_you_mean("zzzzzz", {"seed"}).empty());
}
