// Calibration arithmetic: the relative least-squares fit recovers an exact
// affine relation, leave-one-out predicts exactly on exact data, and the
// check report's figures follow from the samples.
#include <doctest/doctest.h>

#include <cmath>

#include "nasctl/error.hpp"
#include "nasctl/lut/calibration.hpp"
#include "nasctl/lut/lut_check.hpp"

using namespace nasctl;

TEST_CASE("the fit recovers scale and overhead of an exact affine relation") {
  const std::vector<double> lut{4.0, 5.5, 7.0, 9.25, 12.0};
  std::vector<double> measured;
  for (double x : lut) measured.push_back(0.8 * x + 1.5);
  const lut::Calibration c = lut::fit_calibration(lut, measured);
  CHECK(c.scale == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(c.overhead_ms == doctest::Approx(1.5).epsilon(1e-12));
  const std::vector<double> loo = lut::leave_one_out(lut, measured);
  for (std::size_t i = 0; i < lut.size(); ++i) CHECK(loo[i] == doctest::Approx(measured[i]).epsilon(1e-12));
  const std::vector<double> applied = lut::apply_calibration(c, lut);
  CHECK(applied[2] == doctest::Approx(7.1));
}

TEST_CASE("the fit minimises relative error: a 10% outlier on a small network pulls harder than on a large one") {
  // Same absolute deviation (+1 ms) on the smallest vs the largest network.
  const std::vector<double> lut{2.0, 4.0, 8.0, 16.0};
  std::vector<double> small_off{3.0, 4.0, 8.0, 16.0}, large_off{2.0, 4.0, 8.0, 17.0};
  const lut::Calibration a = lut::fit_calibration(lut, small_off), b = lut::fit_calibration(lut, large_off);
  // The small network's error is relatively larger, so the fit moves more for it.
  CHECK(std::abs(a.overhead_ms) > std::abs(b.overhead_ms));
}

TEST_CASE("calibration refuses what it cannot fit, with the fix") {
  CHECK_THROWS_WITH_AS(lut::fit_calibration({1.0}, {2.0}), doctest::Contains("at least 2 networks"), Error);
  CHECK_THROWS_WITH_AS(lut::fit_calibration({3.0, 3.0, 3.0}, {1.0, 2.0, 3.0}), doctest::Contains("same LUT sum"),
                       Error);
  CHECK_THROWS_WITH_AS(lut::fit_calibration({1.0, 2.0, 3.0}, {3.0, 2.0, 1.0}), doctest::Contains("fitted scale"),
                       Error);
  CHECK_THROWS_WITH_AS(lut::fit_calibration({1.0, 2.0}, {1.0, 0.0}), doctest::Contains("> 0"), Error);
  CHECK_THROWS_WITH_AS(lut::leave_one_out({1.0, 2.0}, {1.0, 2.0}), doctest::Contains("at least 3"), Error);
}

TEST_CASE("the check report: raw, table-calibrated and fitted figures from the samples") {
  std::vector<lut::CheckSample> samples;
  const double lut_ms[] = {10, 12, 14, 16, 18, 20};
  for (double x : lut_ms) samples.push_back({"a" + std::to_string(x), x, 0.5 * x + 2.0});
  const lut::CheckReport r = lut::analyse_check(samples, lut::Calibration{0.5, 1.0});
  // Raw sums are 2x..1.67x the truth: far off, but perfectly ranked.
  CHECK(r.raw.within_10 == 0.0);
  CHECK(r.raw.kendall_tau == doctest::Approx(1.0));
  REQUIRE(r.with_current);
  CHECK(r.with_current->mape == doctest::Approx(100.0 / 6 * (1 / 7.0 + 1 / 8.0 + 1 / 9.0 + 1 / 10.0 + 1 / 11.0 + 1 / 12.0)));
  CHECK(r.fitted.scale == doctest::Approx(0.5));
  CHECK(r.fitted.overhead_ms == doctest::Approx(2.0));
  CHECK(r.fitted_in_sample.within_10 == 1.0);
  CHECK(r.fitted_loo.mape == doctest::Approx(0.0).epsilon(1e-9));
  const std::string text = lut::check_text(r);
  CHECK(text.find("leave-one-out") != std::string::npos);
  const std::string json = lut::check_json(r, {{"seed", "7"}});
  CHECK(json.find("\"fitted_calibration\"") != std::string::npos);
  CHECK(json.find("\"measured_ms\"") != std::string::npos);
}

TEST_CASE("with two passes the report gives the measurement's own repeatability, pass 2 against pass 1") {
  std::vector<lut::CheckSample> samples;
  for (int i = 0; i < 5; ++i) {
    const double x = 10.0 + i;
    // Pass 2 swaps the order of the two largest networks: tau 0.8.
    const double second = i == 3 ? 2 * (x + 1) : i == 4 ? 2 * (x - 1) : 2 * x;
    samples.push_back({"a", x, 2 * x, {2 * x, second}});
  }
  const lut::CheckReport r = lut::analyse_check(samples, std::nullopt);
  REQUIRE(r.repeatability);
  CHECK(r.repeatability->kendall_tau == doctest::Approx(0.8));
  CHECK(lut::check_text(r).find("pass 2 vs pass 1") != std::string::npos);
  samples[0].passes_ms.clear();
  CHECK_FALSE(lut::analyse_check(samples, std::nullopt).repeatability);
}
