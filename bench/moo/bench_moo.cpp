// Performance targets of nasctl::moo (Release build):
//   exact 2-D hypervolume of 10,000 points       <= 5 ms
//   non-dominated sort of 1,000 points, 3 obj.   <= 5 ms
// The other cases show where the remaining costs lie. Run:
//   bench_moo --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "nasctl/moo/crowding.hpp"
#include "nasctl/moo/hypervolume.hpp"
#include "nasctl/moo/sorting.hpp"

namespace {

using nasctl::moo::Point;
using nasctl::moo::Points;

Points uniform_points(std::size_t n, std::size_t objectives, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Points points(n, Point(objectives));
  for (auto& point : points) {
    for (double& value : point) value = unit(rng);
  }
  return points;
}

// A whole set that is one front: points on the positive unit sphere, in
// random order (a sorted input would flatter the sorts).
Points sphere_front(std::size_t n, std::size_t objectives, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Points points(n, Point(objectives));
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

void set_items(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_Hypervolume2D_Front(benchmark::State& state) {
  const Points points = sphere_front(static_cast<std::size_t>(state.range(0)), 2, 1);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::hypervolume(points, {1.0, 1.0}));
  set_items(state);
}
BENCHMARK(BM_Hypervolume2D_Front)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Hypervolume2D_Random(benchmark::State& state) {
  const Points points = uniform_points(static_cast<std::size_t>(state.range(0)), 2, 2);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::hypervolume(points, {1.0, 1.0}));
  set_items(state);
}
BENCHMARK(BM_Hypervolume2D_Random)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Hypervolume3D_Front(benchmark::State& state) {
  const Points points = sphere_front(static_cast<std::size_t>(state.range(0)), 3, 3);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::hypervolume(points, {1, 1, 1}));
  set_items(state);
}
BENCHMARK(BM_Hypervolume3D_Front)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Hypervolume3D_Random(benchmark::State& state) {
  const Points points = uniform_points(static_cast<std::size_t>(state.range(0)), 3, 4);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::hypervolume(points, {1, 1, 1}));
  set_items(state);
}
BENCHMARK(BM_Hypervolume3D_Random)->Arg(1000)->Unit(benchmark::kMillisecond);

// WFG: no target, shown so its growth with the front size is visible.
void BM_Hypervolume4D_Front(benchmark::State& state) {
  const Points points = sphere_front(static_cast<std::size_t>(state.range(0)), 4, 5);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::hypervolume(points, Point(4, 1.0)));
  set_items(state);
}
BENCHMARK(BM_Hypervolume4D_Front)->Arg(100)->Arg(300)->Unit(benchmark::kMillisecond);

void BM_Hypervolume5D_Front(benchmark::State& state) {
  const Points points = sphere_front(static_cast<std::size_t>(state.range(0)), 5, 6);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::hypervolume(points, Point(5, 1.0)));
  set_items(state);
}
BENCHMARK(BM_Hypervolume5D_Front)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_NonDominatedSort3D_Random(benchmark::State& state) {
  const Points points = uniform_points(static_cast<std::size_t>(state.range(0)), 3, 7);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::non_dominated_fronts(points));
  set_items(state);
}
BENCHMARK(BM_NonDominatedSort3D_Random)->Arg(1000)->Unit(benchmark::kMillisecond);

// Worst case for ENS: every point on the first front.
void BM_NonDominatedSort3D_OneFront(benchmark::State& state) {
  const Points points = sphere_front(static_cast<std::size_t>(state.range(0)), 3, 8);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::non_dominated_fronts(points));
  set_items(state);
}
BENCHMARK(BM_NonDominatedSort3D_OneFront)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_NonDominatedSort2D_Random(benchmark::State& state) {
  const Points points = uniform_points(static_cast<std::size_t>(state.range(0)), 2, 9);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::non_dominated_fronts(points));
  set_items(state);
}
BENCHMARK(BM_NonDominatedSort2D_Random)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_CrowdingDistance(benchmark::State& state) {
  const Points front = sphere_front(static_cast<std::size_t>(state.range(0)), 3, 10);
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::moo::crowding_distance(front));
  set_items(state);
}
BENCHMARK(BM_CrowdingDistance)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_HypervolumeContributions2D(benchmark::State& state) {
  const Points points = uniform_points(static_cast<std::size_t>(state.range(0)), 2, 11);
  for (auto _ : state) {
    benchmark::DoNotOptimize(nasctl::moo::hypervolume_contributions(points, {1.0, 1.0}));
  }
  set_items(state);
}
BENCHMARK(BM_HypervolumeContributions2D)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
