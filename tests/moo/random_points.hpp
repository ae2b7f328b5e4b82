// Random point sets for the property and oracle tests: seeded, so a failure
// names the seed that reproduces it.
#pragma once

#include <cmath>
#include <cstddef>
#include <random>

#include "nasctl/moo/dominance.hpp"

namespace moo_test {

// Uniform points in [0, 1)^objectives.
inline nasctl::moo::Points uniform_points(std::size_t n, std::size_t objectives, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  nasctl::moo::Points points(n, nasctl::moo::Point(objectives));
  for (auto& point : points) {
    for (double& value : point) value = unit(rng);
  }
  return points;
}

// Points on the integer grid {0..levels-1}^objectives: many equal
// coordinates and duplicate points, the cases sorting and sweeps get wrong.
inline nasctl::moo::Points grid_points(std::size_t n, std::size_t objectives, int levels,
                                       unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> level(0, levels - 1);
  nasctl::moo::Points points(n, nasctl::moo::Point(objectives));
  for (auto& point : points) {
    for (double& value : point) value = level(rng);
  }
  return points;
}

// Mutually non-dominated points on the unit sphere's positive orthant
// (|x| = 1, x >= 0): a whole set that is one front.
inline nasctl::moo::Points sphere_front(std::size_t n, std::size_t objectives, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  nasctl::moo::Points points(n, nasctl::moo::Point(objectives));
  for (auto& point : points) {
    double norm = 0.0;
    for (double& value : point) {
      value = std::abs(normal(rng)) + 1e-9;
      norm += value * value;
    }
    for (double& value : point) value /= std::sqrt(norm);
  }
  return points;
}

}  // namespace moo_test
