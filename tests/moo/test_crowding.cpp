// NSGA-II crowding distance on a front worked out by hand:
//   points (0,10) (1,6) (2,4) (6,1) (10,0), range 10 in both objectives;
//   (1,6):  (2-0)/10 + (10-4)/10 = 0.8
//   (2,4):  (6-1)/10 + (6-1)/10  = 1.0
//   (6,1):  (10-2)/10 + (4-0)/10 = 1.2
//   the two ends are boundary points: +inf.
#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>

#include "nasctl/moo/crowding.hpp"

using nasctl::moo::crowding_distance;
using nasctl::moo::Points;

namespace {

const double kInf = std::numeric_limits<double>::infinity();
const Points kHandFront = {{0, 10}, {1, 6}, {2, 4}, {6, 1}, {10, 0}};

void check_distances(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    if (expected[i] == kInf) {
      CHECK(actual[i] == kInf);
    } else {
      CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-12));
    }
  }
}

}  // namespace

TEST_SUITE("moo.crowding") {
  TEST_CASE("interior points add, per objective, the neighbour gap over the front's range") {
    check_distances(crowding_distance(kHandFront), {kInf, 0.8, 1.0, 1.2, kInf});
  }

  TEST_CASE("each objective is normalised by its range, so units do not matter") {
    Points scaled = kHandFront;
    for (auto& point : scaled) point[1] *= 1000.0;
    check_distances(crowding_distance(scaled), {kInf, 0.8, 1.0, 1.2, kInf});
  }

  TEST_CASE("distances follow the order of the front's indices, not of the point set") {
    const Points all = {{99, 99}, {6, 1}, {1, 6}, {50, 50}, {0, 10}, {10, 0}, {2, 4}};
    check_distances(crowding_distance(all, {4, 2, 6, 1, 5}), {kInf, 0.8, 1.0, 1.2, kInf});
    check_distances(crowding_distance(all, {1, 5, 4, 6, 2}), {1.2, kInf, kInf, 1.0, 0.8});
  }

  TEST_CASE("an objective constant over the front adds nothing to interior points") {
    check_distances(crowding_distance(Points{{0, 5}, {1, 5}, {2, 5}, {3, 5}}),
                    {kInf, 2.0 / 3.0, 2.0 / 3.0, kInf});
  }

  TEST_CASE("ties are broken by position in the front, so equal points get stable values") {
    // Both objectives order the three equal points 0, 1, 2: the first and
    // last are boundary points, the middle one sees a zero gap.
    check_distances(crowding_distance(Points{{1, 1}, {1, 1}, {1, 1}}), {kInf, 0.0, kInf});
  }

  TEST_CASE("fronts of one or two points are all boundary points and an empty front has none") {
    check_distances(crowding_distance(Points{{1, 2}}), {kInf});
    check_distances(crowding_distance(Points{{1, 2}, {2, 1}}), {kInf, kInf});
    CHECK(crowding_distance(Points{}).empty());
    CHECK(crowding_distance(kHandFront, {}).empty());
  }

  TEST_CASE("a front index outside the point set is rejected, naming it") {
    CHECK_THROWS_WITH_AS(crowding_distance(kHandFront, {0, 7}),
                         "crowding_distance: index 7 is outside the 5 points; fix: pass "
                         "indices into the same point set",
                         std::invalid_argument);
  }

  TEST_CASE("front points with different numbers of objectives are rejected") {
    CHECK_THROWS_AS(crowding_distance(Points{{1, 2}, {1, 2, 3}, {0, 0}}), std::invalid_argument);
  }
}
