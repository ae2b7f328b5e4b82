// Statistics against values computed by hand (and, for Kendall's tau on
// large tied samples, against the O(n^2) definition of tau-b).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "nasctl/predict/error.hpp"
#include "nasctl/predict/statistics.hpp"

using namespace nasctl::predict;

namespace {

// tau-b straight from its definition: (C - D) / sqrt((n0 - n1)(n0 - n2)).
double brute_force_tau_b(const std::vector<double>& a, const std::vector<double>& b) {
  double concordant = 0, discordant = 0, ties_a = 0, ties_b = 0, pairs = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      ++pairs;
      const double s = (a[i] - a[j]) * (b[i] - b[j]);
      if (a[i] == a[j]) ++ties_a;
      if (b[i] == b[j]) ++ties_b;
      if (s > 0) ++concordant;
      if (s < 0) ++discordant;
    }
  }
  return (concordant - discordant) / std::sqrt((pairs - ties_a) * (pairs - ties_b));
}

}  // namespace

TEST_CASE("kendall tau of five values with two swapped neighbour pairs is 0.6") {
  // Pairs: 10; discordant: (3,2) and (5,4); tau = (8 - 2) / 10.
  CHECK(kendall_tau({1, 2, 3, 4, 5}, {1, 3, 2, 5, 4}) == doctest::Approx(0.6));
}

TEST_CASE("kendall tau is 1 for the same order and -1 for the reverse") {
  CHECK(kendall_tau({1, 2, 3, 4}, {10, 20, 30, 40}) == doctest::Approx(1.0));
  CHECK(kendall_tau({1, 2, 3, 4}, {4, 3, 2, 1}) == doctest::Approx(-1.0));
}

TEST_CASE("kendall tau-b corrects for ties in either sample") {
  // Pairs 6: 4 concordant, 0 discordant, one tied in truth only, one tied in
  // prediction only: tau_b = 4 / sqrt((6 - 1)(6 - 1)) = 0.8 (tau-a would say 0.667).
  CHECK(kendall_tau({1, 2, 2, 3}, {1, 2, 3, 3}) == doctest::Approx(0.8));
  // One pair tied in both, 4 concordant, 1 discordant: (4 - 1) / sqrt(5 * 5) = 0.6.
  CHECK(kendall_tau({1, 1, 2, 3}, {1, 1, 3, 2}) == doctest::Approx(0.6));
}

TEST_CASE("kendall tau equals the O(n^2) tau-b definition on 3000 heavily tied values") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> level(0, 20);
  std::normal_distribution<double> noise(0.0, 4.0);
  std::vector<double> truth, predicted;
  for (int i = 0; i < 3000; ++i) {
    const int t = level(rng);
    truth.push_back(t);
    predicted.push_back(std::round(t + noise(rng)));  // rounding makes ties in both samples
  }
  CHECK(kendall_tau(truth, predicted) == doctest::Approx(brute_force_tau_b(truth, predicted)).epsilon(1e-12));
}

TEST_CASE("kendall tau is NaN when a sample is constant or has one element") {
  CHECK(std::isnan(kendall_tau({1, 1, 1}, {1, 2, 3})));
  CHECK(std::isnan(kendall_tau({1, 2, 3}, {5, 5, 5})));
  CHECK(std::isnan(kendall_tau({1}, {2})));
}

TEST_CASE("rmse, mape, share within 10% and R^2 match hand-computed values") {
  const std::vector<double> truth{100, 50, 200, 80};
  const std::vector<double> predicted{109, 44, 230, 80};
  // Errors 9, -6, 30, 0: RMSE = sqrt((81 + 36 + 900 + 0) / 4).
  CHECK(rmse(truth, predicted) == doctest::Approx(std::sqrt(1017.0 / 4.0)));
  // Relative errors 9%, 12%, 15%, 0%: mean 9%.
  CHECK(mape(truth, predicted) == doctest::Approx(9.0));
  // Within 10%: the 9% and the exact one.
  CHECK(within_fraction(truth, predicted) == doctest::Approx(0.5));
  CHECK(within_fraction(truth, predicted, 0.2) == doctest::Approx(1.0));
  CHECK(within_fraction(truth, predicted, 0.0) == doctest::Approx(0.25));  // inclusive: the exact one counts
  // SS_res = 1, SS_tot = 5.
  CHECK(r_squared({1, 2, 3, 4}, {1, 2, 3, 5}) == doctest::Approx(0.8));
}

TEST_CASE("relative measures are NaN against a zero truth, R^2 against a constant truth") {
  CHECK(std::isnan(mape({0, 1}, {0, 1})));
  CHECK(std::isnan(within_fraction({0, 1}, {0, 1})));
  CHECK(std::isnan(r_squared({2, 2, 2}, {1, 2, 3})));
}

TEST_CASE("statistics reject mismatched, empty and non-finite input with one clear line") {
  CHECK_THROWS_WITH_AS(rmse({1, 2, 3}, {1, 2}), doctest::Contains("rmse: 3 true values but 2 predictions; fix:"),
                       PredictError);
  CHECK_THROWS_WITH_AS(kendall_tau({}, {}), doctest::Contains("kendall_tau: no values; fix:"), PredictError);
  CHECK_THROWS_WITH_AS(mape({1, NAN}, {1, 2}), doctest::Contains("mape: pair 1 is not finite"), PredictError);
}

TEST_CASE("compute_statistics gathers every measure and summary prints them on one line") {
  const Statistics s = compute_statistics({1, 2, 3, 4, 5}, {1, 3, 2, 5, 4});
  CHECK(s.n == 5);
  CHECK(s.kendall_tau == doctest::Approx(0.6));
  CHECK(s.rmse == doctest::Approx(std::sqrt(4.0 / 5.0)));
  const std::string line = summary(s);
  CHECK(line.find("kendall_tau=0.6000") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
}
