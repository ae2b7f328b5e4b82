// Non-dominated sorting, checked on sets whose fronts were worked out on
// paper, plus properties on random sets (constraint domination against a
// brute-force peel built on constrained_dominates).
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <stdexcept>

#include "nasctl/moo/sorting.hpp"
#include "random_points.hpp"

using nasctl::moo::Fronts;
using nasctl::moo::non_dominated_fronts;
using nasctl::moo::pareto_front;
using nasctl::moo::Points;

namespace {

// Fronts by repeatedly removing the points no remaining point dominates:
// the definition, in O(n^3).
Fronts peel_fronts(const Points& points, const std::vector<double>& violations) {
  std::vector<bool> ranked(points.size(), false);
  Fronts fronts;
  for (std::size_t left = points.size(); left > 0;) {
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (ranked[i]) continue;
      bool dominated = false;
      for (std::size_t j = 0; j < points.size() && !dominated; ++j) {
        dominated = !ranked[j] && nasctl::moo::constrained_dominates(points[j], violations[j],
                                                                     points[i], violations[i]);
      }
      if (!dominated) front.push_back(i);
    }
    for (std::size_t i : front) ranked[i] = true;
    left -= front.size();
    fronts.push_back(front);
  }
  return fronts;
}

}  // namespace

TEST_SUITE("moo.sorting") {
  TEST_CASE("a hand-made 2-D set splits into the fronts worked out on paper") {
    const Points points = {{1, 5}, {2, 3}, {4, 1}, {2, 5}, {3, 4},
                           {5, 2}, {4, 4}, {5, 5}, {2, 3}, {6, 0}};
    const Fronts expected = {{0, 1, 2, 8, 9}, {3, 4, 5}, {6}, {7}};
    CHECK(non_dominated_fronts(points) == expected);
    CHECK(pareto_front(points) == expected.front());
  }

  TEST_CASE("a hand-made 3-D set splits into the fronts worked out on paper") {
    const Points points = {{1, 2, 3}, {3, 2, 1}, {2, 2, 2}, {2, 3, 3},
                           {3, 3, 3}, {1, 1, 4}, {4, 4, 0}, {4, 4, 4}};
    const Fronts expected = {{0, 1, 2, 5, 6}, {3}, {4}, {7}};
    CHECK(non_dominated_fronts(points) == expected);
    CHECK(pareto_front(points) == expected.front());
  }

  TEST_CASE("duplicate points share a front in every dimension") {
    CHECK(non_dominated_fronts(Points{{1, 1}, {0, 2}, {1, 1}, {2, 2}}) == Fronts{{0, 1, 2}, {3}});
    CHECK(non_dominated_fronts(Points{{1, 1, 1}, {2, 2, 2}, {1, 1, 1}, {2, 2, 2}}) ==
          Fronts{{0, 2}, {1, 3}});
  }

  TEST_CASE("with one objective points are ranked by value and ties share a front") {
    CHECK(non_dominated_fronts(Points{{3}, {1}, {2}, {1}}) == Fronts{{1, 3}, {2}, {0}});
  }

  TEST_CASE("points without objectives are all equal and form one front") {
    CHECK(non_dominated_fronts(Points{{}, {}, {}}) == Fronts{{0, 1, 2}});
  }

  TEST_CASE("an empty set has no fronts and an empty Pareto front") {
    CHECK(non_dominated_fronts(Points{}).empty());
    CHECK(non_dominated_fronts(Points{}, {}).empty());
    CHECK(pareto_front(Points{}).empty());
  }

  TEST_CASE("+inf objectives (failed evaluations) sort behind every finite point") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(non_dominated_fronts(Points{{inf, inf, inf}, {1, 2, 3}, {3, 2, 1}}) ==
          Fronts{{1, 2}, {0}});
  }

  TEST_CASE("every point lands in exactly one front and each front is ascending") {
    for (unsigned seed = 0; seed < 20; ++seed) {
      for (std::size_t objectives : {2u, 3u, 5u}) {
        const Points points = moo_test::grid_points(60, objectives, 4, seed);
        std::vector<int> seen(points.size(), 0);
        for (const auto& front : non_dominated_fronts(points)) {
          CHECK(std::is_sorted(front.begin(), front.end()));
          for (std::size_t i : front) ++seen[i];
        }
        CHECK(std::all_of(seen.begin(), seen.end(), [](int count) { return count == 1; }));
      }
    }
  }

  TEST_CASE("pareto_front equals the first of the fronts on random sets") {
    for (unsigned seed = 0; seed < 30; ++seed) {
      for (std::size_t objectives : {1u, 2u, 3u, 4u}) {
        const Points points = moo_test::grid_points(80, objectives, 5, seed);
        CAPTURE(seed);
        CAPTURE(objectives);
        CHECK(pareto_front(points) == non_dominated_fronts(points).front());
      }
    }
  }

  TEST_CASE("constraint domination: feasible fronts first, then one front per violation") {
    const Points points = {{1, 1}, {5, 5}, {2, 2}, {4, 6}, {6, 4}, {0, 0}, {3, 3}};
    const std::vector<double> violations = {0.5, 0.0, 0.2, -1.0, 0.0, 0.2, 0.0};
    CHECK(non_dominated_fronts(points, violations) == Fronts{{6}, {1, 3, 4}, {2, 5}, {0}});
  }

  TEST_CASE("constraint domination with no violation at all equals plain sorting") {
    const Points points = moo_test::grid_points(50, 3, 4, 7);
    CHECK(non_dominated_fronts(points, std::vector<double>(points.size(), 0.0)) ==
          non_dominated_fronts(points));
  }

  TEST_CASE("constrained fronts match a brute-force peel under constrained_dominates") {
    for (unsigned seed = 0; seed < 30; ++seed) {
      const Points points = moo_test::grid_points(40, 2 + seed % 3, 4, seed);
      std::mt19937 rng(seed);
      std::uniform_int_distribution<int> level(-2, 3);  // <= 0 feasible; ties on purpose
      std::vector<double> violations(points.size());
      for (double& v : violations) v = 0.25 * level(rng);
      CAPTURE(seed);
      CHECK(non_dominated_fronts(points, violations) == peel_fronts(points, violations));
    }
  }

  TEST_CASE("points with different numbers of objectives are rejected, naming the point") {
    CHECK_THROWS_WITH_AS(non_dominated_fronts(Points{{1, 2, 3}, {1, 2, 3}, {1, 2}}),
                         "non_dominated_fronts: point 2 has 2 objectives but point 0 has 3; "
                         "fix: give every point the same objectives in the same order",
                         std::invalid_argument);
    CHECK_THROWS_AS(pareto_front(Points{{1}, {1, 2}}), std::invalid_argument);
  }

  TEST_CASE("a NaN objective is rejected instead of corrupting the order") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(non_dominated_fronts(Points{{1, 2}, {nan, 1}}),
                         doctest::Contains("point 1, objective 0 is NaN; fix:"),
                         std::invalid_argument);
  }

  TEST_CASE("violations must come one per point and must not be NaN") {
    CHECK_THROWS_WITH_AS(non_dominated_fronts(Points{{1, 2}, {2, 1}}, {0.0}),
                         doctest::Contains("1 violations for 2 points; fix:"),
                         std::invalid_argument);
    CHECK_THROWS_AS(
        non_dominated_fronts(Points{{1, 2}}, {std::numeric_limits<double>::quiet_NaN()}),
        std::invalid_argument);
  }
}
