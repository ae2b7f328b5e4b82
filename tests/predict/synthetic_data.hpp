// Synthetic regression problems with a known answer for the non-linear model
// and model-selection tests: a smooth non-linear function of continuous
// features, and architecture-like one-hot encodings whose target is either
// additive in the choices (what ridge models exactly) or has interactions
// between choices (what it cannot).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "nasctl/predict/regressor.hpp"

namespace nasctl::test {

struct Samples {
  predict::FeatureRows x;
  std::vector<double> y;
};

// y = sin(3 x0) + x1^2 - 2 x0 x2 + noise, x uniform in [-1, 1]^4 (x3 is noise-free and irrelevant).
inline Samples smooth_nonlinear(std::size_t n, uint64_t seed, double noise_sd = 0.05) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::normal_distribution<double> noise(0.0, noise_sd);
  Samples s;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> x(4);
    for (double& v : x) v = uniform(rng);
    s.y.push_back(std::sin(3.0 * x[0]) + x[1] * x[1] - 2.0 * x[0] * x[2] + noise(rng));
    s.x.push_back(std::move(x));
  }
  return s;
}

// `variables` categorical choices of 3 options each, one-hot encoded. The
// target adds an effect per (variable, choice), drawn once from `effects_seed`;
// with `interaction`, choice 2 of variable 0 also flips the sign of
// variable 1's effect, an interaction no additive model can express.
inline Samples one_hot_choices(std::size_t n, int variables, bool interaction, uint64_t seed,
                               double noise_sd = 0.1, uint64_t effects_seed = 99) {
  std::mt19937_64 effects_rng(effects_seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<std::vector<double>> effect(static_cast<std::size_t>(variables), std::vector<double>(3));
  for (auto& v : effect)
    for (double& e : v) e = normal(effects_rng);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pick(0, 2);
  std::normal_distribution<double> noise(0.0, noise_sd);
  Samples s;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<int> choice(static_cast<std::size_t>(variables));
    for (int& c : choice) c = pick(rng);
    std::vector<double> x(3 * choice.size(), 0.0);
    double y = 0.0;
    for (std::size_t v = 0; v < choice.size(); ++v) {
      x[3 * v + static_cast<std::size_t>(choice[v])] = 1.0;
      double e = effect[v][static_cast<std::size_t>(choice[v])];
      if (interaction && v == 1 && choice[0] == 2) e = -3.0 * e;
      y += e;
    }
    s.x.push_back(std::move(x));
    s.y.push_back(y + noise(rng));
  }
  return s;
}

}  // namespace nasctl::test
