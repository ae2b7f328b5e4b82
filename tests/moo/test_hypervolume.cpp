// Exact hypervolume on sets whose volume is known by hand (inclusion-
// exclusion over boxes), plus an inclusion-exclusion oracle on small random
// sets for the WFG path. All objectives are minimised.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "nasctl/moo/hypervolume.hpp"
#include "random_points.hpp"

using nasctl::moo::hypervolume;
using nasctl::moo::Point;
using nasctl::moo::Points;

namespace {

double box_volume(const Point& corner, const Point& reference) {
  double volume = 1.0;
  for (std::size_t i = 0; i < corner.size(); ++i) volume *= std::max(0.0, reference[i] - corner[i]);
  return volume;
}

// Volume of the union of boxes by inclusion-exclusion over every subset:
// the definition, in O(2^n d). The corner of an intersection is the
// component-wise maximum.
double inclusion_exclusion(const Points& points, const Point& reference) {
  const std::size_t n = points.size();
  double volume = 0.0;
  for (unsigned long subset = 1; subset < (1ul << n); ++subset) {
    Point corner(reference.size(), -std::numeric_limits<double>::infinity());
    int members = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!(subset >> i & 1ul)) continue;
      ++members;
      for (std::size_t o = 0; o < corner.size(); ++o) corner[o] = std::max(corner[o], points[i][o]);
    }
    volume += (members % 2 == 1 ? 1.0 : -1.0) * box_volume(corner, reference);
  }
  return volume;
}

// The d points with a single 0 coordinate and 1 elsewhere, reference 2:
// the unit cube [1,2)^d they all cover plus one unit cube each, d + 1.
Points one_zero_corners(std::size_t d) {
  Points points(d, Point(d, 1.0));
  for (std::size_t i = 0; i < d; ++i) points[i][i] = 0.0;
  return points;
}

}  // namespace

TEST_SUITE("moo.hypervolume") {
  TEST_CASE("2-D: a staircase of three points encloses the area worked out by hand") {
    // Strips [1,4)x[3,4) + [2,4)x[2,3) + [3,4)x[1,2) = 3 + 2 + 1.
    CHECK(hypervolume(Points{{1, 3}, {2, 2}, {3, 1}}, {4, 4}) == doctest::Approx(6.0));
  }

  TEST_CASE("3-D: overlapping boxes match inclusion-exclusion by hand") {
    // Boxes 4 + 2 + 3, pairwise overlaps 1 + 2 + 1, triple overlap 1.
    CHECK(hypervolume(Points{{1, 1, 2}, {2, 2, 1}, {0, 2, 2}}, {3, 3, 3}) == doctest::Approx(6.0));
  }

  TEST_CASE("in 2 to 8 objectives the one-zero corner set encloses d + 1") {
    for (std::size_t d = 2; d <= 8; ++d) {
      CAPTURE(d);
      CHECK(hypervolume(one_zero_corners(d), Point(d, 2.0)) ==
            doctest::Approx(static_cast<double>(d) + 1.0));
    }
  }

  TEST_CASE("a single point encloses its box up to the reference, in 1 to 7 objectives") {
    for (std::size_t d = 1; d <= 7; ++d) {
      Point point(d);
      for (std::size_t i = 0; i < d; ++i) point[i] = 0.25 * static_cast<double>(i);
      CAPTURE(d);
      CHECK(hypervolume({point}, Point(d, 1.75)) ==
            doctest::Approx(box_volume(point, Point(d, 1.75))));
    }
  }

  TEST_CASE("1-D: the volume is the distance from the best point to the reference") {
    CHECK(hypervolume(Points{{3}, {1}, {2}, {7}}, {5}) == doctest::Approx(4.0));
  }

  TEST_CASE("dominated and duplicate points add no volume, in every dimension") {
    for (std::size_t d = 2; d <= 6; ++d) {
      Points points = one_zero_corners(d);
      points.push_back(points.front());  // duplicate
      points.push_back(Point(d, 1.5));   // dominated by all
      points.push_back(Point(d, 1.0));   // weakly dominated
      CAPTURE(d);
      CHECK(hypervolume(points, Point(d, 2.0)) == doctest::Approx(static_cast<double>(d) + 1.0));
    }
  }

  TEST_CASE("points that do not strictly dominate the reference are ignored") {
    const Points points = {{1, 3}, {2, 2}, {3, 1}, {4, 0}, {0, 4}, {5, 5}, {-1, 9}};
    CHECK(hypervolume(points, {4, 4}) == doctest::Approx(6.0));
    CHECK(hypervolume(Points{{5, 5, 5}, {0, 0, 3}}, {3, 3, 3}) == 0.0);
    CHECK(hypervolume(Points{{1, 1, 1, 9}}, {2, 2, 2, 2}) == 0.0);
  }

  TEST_CASE("+inf objectives (failed evaluations) add no volume") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(hypervolume(Points{{inf, 0}, {1, 3}, {2, 2}, {3, 1}}, {4, 4}) == doctest::Approx(6.0));
  }

  TEST_CASE("an empty set encloses no volume") {
    CHECK(hypervolume(Points{}, {1, 1}) == 0.0);
    CHECK(hypervolume(Points{{5, 5}}, {1, 1}) == 0.0);
  }

  TEST_CASE("WFG (4 to 6 objectives) matches inclusion-exclusion on small random sets") {
    for (unsigned seed = 0; seed < 40; ++seed) {
      for (std::size_t d = 4; d <= 6; ++d) {
        const Points points = seed % 2 == 0 ? moo_test::uniform_points(10, d, seed)
                                            : moo_test::grid_points(10, d, 3, seed);
        const Point reference(d, seed % 2 == 0 ? 1.1 : 2.5);
        CAPTURE(seed);
        CAPTURE(d);
        CHECK(hypervolume(points, reference) ==
              doctest::Approx(inclusion_exclusion(points, reference)).epsilon(1e-10));
      }
    }
  }

  TEST_CASE("2-D and 3-D sweeps match inclusion-exclusion on small random sets with ties") {
    for (unsigned seed = 0; seed < 60; ++seed) {
      for (std::size_t d = 2; d <= 3; ++d) {
        const Points points = moo_test::grid_points(12, d, 4, seed);
        const Point reference(d, 3.0);  // grid value 3 sits on the reference: ignored
        CAPTURE(seed);
        CAPTURE(d);
        CHECK(hypervolume(points, reference) ==
              doctest::Approx(inclusion_exclusion(points, reference)).epsilon(1e-12));
      }
    }
  }

  TEST_CASE("a reference with the wrong number of values is rejected") {
    CHECK_THROWS_WITH_AS(hypervolume(Points{{1, 2, 3}}, {4, 4}),
                         "hypervolume: the reference has 2 values but the points have 3 "
                         "objectives; fix: give the reference one value per objective",
                         std::invalid_argument);
  }

  TEST_CASE("a non-finite reference is rejected") {
    CHECK_THROWS_WITH_AS(hypervolume(Points{{1, 2}}, {4, std::numeric_limits<double>::infinity()}),
                         doctest::Contains("reference value 1 is not finite; fix:"),
                         std::invalid_argument);
    CHECK_THROWS_AS(hypervolume(Points{{1, 2}}, {std::nan(""), 4}), std::invalid_argument);
  }

  TEST_CASE("mismatched points, NaN and -inf objectives are rejected, naming the point") {
    CHECK_THROWS_WITH_AS(hypervolume(Points{{1, 2}, {1}}, {4, 4}),
                         doctest::Contains("point 1 has 1 objectives but point 0 has 2"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(hypervolume(Points{{1, std::nan("")}}, {4, 4}),
                         doctest::Contains("point 0, objective 1 is NaN"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(
        hypervolume(Points{{1, 1}, {-std::numeric_limits<double>::infinity(), 1}}, {4, 4}),
        doctest::Contains("point 1, objective 0 is -inf"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(hypervolume(Points{{}, {}}, {}),
                         doctest::Contains("the points have no objectives"), std::invalid_argument);
  }
}
