// pagmo2 as an independent oracle: on many random sets (continuous, and
// integer grids full of ties and duplicates) nasctl::moo must agree with
// pagmo's fast non-dominated sorting, hypervolume and crowding distance.
#include <doctest/doctest.h>

#include <algorithm>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>
#include <vector>

#include "nasctl/moo/crowding.hpp"
#include "nasctl/moo/hypervolume.hpp"
#include "nasctl/moo/sorting.hpp"
#include "random_points.hpp"

using nasctl::moo::Point;
using nasctl::moo::Points;

namespace {

// pagmo lists a front's indices in discovery order; ours are ascending.
nasctl::moo::Fronts pagmo_fronts(const Points& points) {
  const auto pagmo_result = pagmo::fast_non_dominated_sorting(points);
  nasctl::moo::Fronts fronts;
  for (const auto& front : std::get<0>(pagmo_result)) {
    fronts.emplace_back(front.begin(), front.end());
    std::sort(fronts.back().begin(), fronts.back().end());
  }
  return fronts;
}

// pagmo refuses points that do not strictly dominate the reference; ours
// ignores them, so only the ones inside are passed to pagmo.
double pagmo_hypervolume(const Points& points, const Point& reference) {
  Points inside;
  for (const Point& point : points) {
    bool strictly_inside = true;
    for (std::size_t i = 0; i < point.size(); ++i) {
      strictly_inside = strictly_inside && point[i] < reference[i];
    }
    if (strictly_inside) inside.push_back(point);
  }
  if (inside.empty()) return 0.0;
  return pagmo::hypervolume(inside, true).compute(reference);
}

Points random_set(unsigned seed, std::size_t n, std::size_t objectives) {
  if (seed % 3 == 0) return moo_test::grid_points(n, objectives, 4, seed);
  if (seed % 3 == 1) return moo_test::sphere_front(n, objectives, seed);
  return moo_test::uniform_points(n, objectives, seed);
}

}  // namespace

TEST_SUITE("moo.pagmo_oracle") {
  TEST_CASE("fronts match pagmo's fast non-dominated sorting in 2 to 6 objectives") {
    for (unsigned seed = 0; seed < 150; ++seed) {
      const std::size_t objectives = 2 + seed % 5;
      const std::size_t n = 2 + (seed * 7) % 120;
      const Points points = seed % 2 == 0 ? moo_test::grid_points(n, objectives, 3 + seed % 4, seed)
                                          : moo_test::uniform_points(n, objectives, seed);
      CAPTURE(seed);
      CHECK(nasctl::moo::non_dominated_fronts(points) == pagmo_fronts(points));
    }
  }

  TEST_CASE("hypervolume matches pagmo in 2 to 6 objectives, with ties and outside points") {
    for (unsigned seed = 0; seed < 150; ++seed) {
      const std::size_t objectives = 2 + seed % 5;
      const std::size_t n = objectives <= 3 ? 1 + (seed * 13) % 300 : 1 + (seed * 7) % 40;
      const Points points = random_set(seed, n, objectives);
      // Grid values run 0..3; 3 lies on the reference and 0.9 cuts through
      // the continuous sets, so some points are always left out.
      const Point reference(objectives, seed % 3 == 0 ? 3.0 : 0.9);
      CAPTURE(seed);
      CHECK(nasctl::moo::hypervolume(points, reference) ==
            doctest::Approx(pagmo_hypervolume(points, reference)).epsilon(1e-10));
    }
  }

  TEST_CASE("hypervolume of large 2-D and 3-D fronts matches pagmo") {
    for (unsigned seed = 0; seed < 6; ++seed) {
      const std::size_t objectives = 2 + seed % 2;
      const Points points = moo_test::sphere_front(2000, objectives, seed);
      const Point reference(objectives, 1.0);
      CAPTURE(seed);
      CHECK(nasctl::moo::hypervolume(points, reference) ==
            doctest::Approx(pagmo_hypervolume(points, reference)).epsilon(1e-10));
    }
  }

  TEST_CASE("exclusive contributions match pagmo in 2 and 3 objectives") {
    for (unsigned seed = 0; seed < 40; ++seed) {
      const std::size_t objectives = 2 + seed % 2;
      // Continuous points only: pagmo's treatment of duplicates is not ours
      // to copy, the hand-computed tests pin ours down.
      const Points points = seed % 4 < 2 ? moo_test::sphere_front(60, objectives, seed)
                                         : moo_test::uniform_points(60, objectives, seed);
      const Point reference(objectives, 1.0);
      const std::vector<double> ours = nasctl::moo::hypervolume_contributions(points, reference);
      const std::vector<double> theirs = pagmo::hypervolume(points, true).contributions(reference);
      REQUIRE(ours.size() == theirs.size());
      for (std::size_t i = 0; i < ours.size(); ++i) {
        CAPTURE(seed);
        CAPTURE(i);
        CHECK(ours[i] == doctest::Approx(theirs[i]).epsilon(1e-9).scale(1e-6));
      }
    }
  }

  TEST_CASE("crowding distance matches pagmo on random fronts without ties") {
    // pagmo breaks ties in an unspecified order, so ties are left to the
    // hand-computed tests.
    for (unsigned seed = 0; seed < 60; ++seed) {
      const std::size_t objectives = 2 + seed % 4;
      const Points front = moo_test::sphere_front(3 + seed * 5 % 80, objectives, seed);
      const std::vector<double> ours = nasctl::moo::crowding_distance(front);
      const std::vector<double> theirs = pagmo::crowding_distance(front);
      REQUIRE(ours.size() == theirs.size());
      for (std::size_t i = 0; i < ours.size(); ++i) {
        CAPTURE(seed);
        CAPTURE(i);
        if (std::isinf(theirs[i])) {
          CHECK(std::isinf(ours[i]));
        } else {
          CHECK(ours[i] == doctest::Approx(theirs[i]).epsilon(1e-12));
        }
      }
    }
  }

  TEST_CASE("crowding distance of each random front's members matches pagmo") {
    for (unsigned seed = 0; seed < 30; ++seed) {
      const Points points = moo_test::uniform_points(200, 2 + seed % 3, seed);
      for (const auto& front : nasctl::moo::non_dominated_fronts(points)) {
        if (front.size() < 2) continue;
        Points members;
        for (std::size_t i : front) members.push_back(points[i]);
        const std::vector<double> ours = nasctl::moo::crowding_distance(points, front);
        const std::vector<double> theirs = pagmo::crowding_distance(members);
        for (std::size_t i = 0; i < ours.size(); ++i) {
          CAPTURE(seed);
          CAPTURE(i);
          CHECK((std::isinf(theirs[i]) ? std::isinf(ours[i])
                                       : ours[i] == doctest::Approx(theirs[i]).epsilon(1e-12)));
        }
      }
    }
  }
}
