// Exclusive hypervolume contributions: the volume lost when one point alone
// is removed.
#include <doctest/doctest.h>

#include <stdexcept>

#include "nasctl/moo/hypervolume.hpp"
#include "random_points.hpp"

using nasctl::moo::hypervolume;
using nasctl::moo::hypervolume_contributions;
using nasctl::moo::Point;
using nasctl::moo::Points;

namespace {

void check_values(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
}

}  // namespace

TEST_SUITE("moo.hypervolume_contributions") {
  TEST_CASE("2-D: each staircase point owns the rectangle worked out by hand") {
    // (1,3): [1,2)x[3,4) = 1; (2,2): [2,3)x[2,3) = 1; (3,0.5): [3,4)x[0.5,2) = 1.5.
    check_values(hypervolume_contributions(Points{{1, 3}, {2, 2}, {3, 0.5}}, {4, 4}),
                 {1.0, 1.0, 1.5});
  }

  TEST_CASE("2-D: a dominated point with an equal objective still cuts its dominator's share") {
    // (3,2) is dominated by (1,2) but covers [3,5)x[2,5) on its own, so (1,2)
    // owns only [1,3)x[2,5) = 6.
    check_values(hypervolume_contributions(Points{{1, 2}, {3, 2}, {4, 1}}, {5, 5}),
                 {6.0, 0.0, 1.0});
  }

  TEST_CASE("duplicated points contribute nothing: either copy covers the other") {
    check_values(hypervolume_contributions(Points{{1, 1}, {1, 1}, {0, 3}}, {4, 4}),
                 {0.0, 0.0, 1.0});
    check_values(hypervolume_contributions(Points{{1, 1, 1}, {0, 2, 2}, {1, 1, 1}}, {3, 3, 3}),
                 {0.0, 1.0, 0.0});
  }

  TEST_CASE("3-D: contributions equal the total minus the volume of the other two, by hand") {
    // Total 6; without A: 2+3-1 = 4; without B: 4+3-2 = 5; without C: 4+2-1 = 5.
    check_values(hypervolume_contributions(Points{{1, 1, 2}, {2, 2, 1}, {0, 2, 2}}, {3, 3, 3}),
                 {2.0, 1.0, 1.0});
  }

  TEST_CASE("points outside the reference and dominated points contribute nothing") {
    // (1,1) owns its 3x3 box minus the 2x2 box of (2,2), which it dominates.
    check_values(hypervolume_contributions(Points{{5, 0}, {1, 1}, {2, 2}, {0, 4}}, {4, 4}),
                 {0.0, 5.0, 0.0, 0.0});
  }

  TEST_CASE("every contribution is the total minus the volume without that point") {
    for (unsigned seed = 0; seed < 20; ++seed) {
      for (std::size_t d = 1; d <= 5; ++d) {
        const Points points = seed % 2 == 0 ? moo_test::uniform_points(25, d, seed)
                                            : moo_test::grid_points(25, d, 4, seed);
        const Point reference(d, seed % 2 == 0 ? 0.9 : 3.0);
        const double total = hypervolume(points, reference);
        const std::vector<double> contributions = hypervolume_contributions(points, reference);
        for (std::size_t k = 0; k < points.size(); ++k) {
          Points others = points;
          others.erase(others.begin() + static_cast<std::ptrdiff_t>(k));
          CAPTURE(seed);
          CAPTURE(d);
          CAPTURE(k);
          CHECK(contributions[k] ==
                doctest::Approx(total - hypervolume(others, reference)).epsilon(1e-9).scale(total));
        }
      }
    }
  }

  TEST_CASE("an empty set has no contributions and a bad reference is rejected") {
    CHECK(hypervolume_contributions(Points{}, {1, 1}).empty());
    CHECK_THROWS_WITH_AS(hypervolume_contributions(Points{{1, 2}}, {4}),
                         doctest::Contains("hypervolume_contributions: the reference has 1"),
                         std::invalid_argument);
  }
}
