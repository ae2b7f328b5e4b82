// Pareto and constraint dominance: the relation every other moo function
// is defined by. All objectives are minimised.
#include <doctest/doctest.h>

#include <stdexcept>

#include "nasctl/moo/dominance.hpp"

using nasctl::moo::constrained_dominates;
using nasctl::moo::dominates;

TEST_SUITE("moo.dominance") {
  TEST_CASE("a point dominates when it is no worse everywhere and better somewhere") {
    CHECK(dominates({1, 2, 3}, {1, 2, 4}));
    CHECK(dominates({0, 0}, {1, 1}));
    CHECK_FALSE(dominates({1, 2, 4}, {1, 2, 3}));
  }

  TEST_CASE("equal points do not dominate each other") {
    CHECK_FALSE(dominates({1, 2}, {1, 2}));
    CHECK_FALSE(dominates({}, {}));
  }

  TEST_CASE("points that trade one objective for another do not dominate each other") {
    CHECK_FALSE(dominates({1, 3}, {2, 2}));
    CHECK_FALSE(dominates({2, 2}, {1, 3}));
  }

  TEST_CASE("comparing points with different numbers of objectives is an error") {
    CHECK_THROWS_AS(dominates({1, 2}, {1, 2, 3}), std::invalid_argument);
    CHECK_THROWS_WITH(dominates({1}, {1, 2}), doctest::Contains("have 1 and 2 objectives; fix:"));
    CHECK_THROWS_AS(constrained_dominates({1, 2}, 0.0, {1}, 0.0), std::invalid_argument);
  }

  TEST_CASE("a feasible point beats an infeasible one even when the latter is Pareto-better") {
    CHECK(constrained_dominates({5, 5}, 0.0, {1, 1}, 0.1));
    CHECK_FALSE(constrained_dominates({1, 1}, 0.1, {5, 5}, 0.0));
  }

  TEST_CASE("a negative violation counts as feasible, like zero") {
    CHECK(constrained_dominates({5, 5}, -3.0, {1, 1}, 0.5));
    CHECK(constrained_dominates({1, 1}, -3.0, {2, 2}, 0.0));
    CHECK_FALSE(constrained_dominates({2, 2}, -3.0, {1, 1}, 0.0));
  }

  TEST_CASE("between infeasible points the smaller violation wins whatever the objectives") {
    CHECK(constrained_dominates({9, 9}, 0.2, {1, 1}, 0.3));
    CHECK_FALSE(constrained_dominates({1, 1}, 0.3, {9, 9}, 0.2));
    CHECK_FALSE(constrained_dominates({1, 1}, 0.3, {9, 9}, 0.3));
  }

  TEST_CASE("between feasible points Pareto dominance decides") {
    CHECK(constrained_dominates({1, 1}, 0.0, {1, 2}, 0.0));
    CHECK_FALSE(constrained_dominates({1, 3}, 0.0, {2, 2}, 0.0));
    CHECK_FALSE(constrained_dominates({1, 2}, 0.0, {1, 2}, 0.0));
  }
}
