// Calibration: each form recovers the relation it models exactly, the
// leave-one-out choice keeps extra terms only when they predict better, the
// arithmetic of a calibrated sum, and the check report built from samples.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/lut/calibration.hpp"
#include "nasctl/lut/layer_class.hpp"
#include "nasctl/lut/lut_check.hpp"

using namespace nasctl;

namespace {

std::size_t class_named(const char* name) { return *lut::layer_class_from_name(name); }

// A network's sum: `layers` layers, the given time per layer class.
lut::NetworkSum network_sum(std::initializer_list<std::pair<const char*, double>> classes, std::size_t layers = 10) {
  lut::NetworkSum s;
  for (const auto& [name, ms] : classes) {
    s.class_ms[class_named(name)] += ms;
    s.latency_ms += ms;
  }
  s.layers = layers;
  return s;
}

std::vector<lut::NetworkSum> plain_sums(const std::vector<double>& totals) {
  std::vector<lut::NetworkSum> out;
  for (double t : totals) out.push_back(network_sum({{"pointwise+relu", t}}));
  return out;
}

const lut::CalibrationModel* form(const lut::CalibrationFit& fit, const std::string& name) {
  for (const auto& m : fit.models) {
    if (m.form == name) return &m;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the plain form recovers scale and overhead of an exact affine relation, and is chosen on a tie") {
  const auto lut = plain_sums({4.0, 5.5, 7.0, 9.25, 12.0});
  std::vector<double> measured;
  for (const auto& s : lut) measured.push_back(0.8 * s.latency_ms + 1.5);
  const lut::CalibrationFit fit = lut::fit_calibration(lut, measured);
  // One class only: "class scales" would be the same model, so it is not
  // fitted; constant layer count: no per-layer form either.
  CHECK(fit.best().form == "scale");
  CHECK(fit.models.size() == 1);
  CHECK(form(fit, "class scales") == nullptr);
  CHECK(form(fit, "scale+per_layer") == nullptr);
  const lut::Calibration& c = fit.best().calibration;
  CHECK(c.scale == doctest::Approx(0.8).epsilon(1e-9));
  CHECK(c.overhead_ms == doctest::Approx(1.5).epsilon(1e-9));
  CHECK(c.class_scales.empty());
  for (std::size_t i = 0; i < lut.size(); ++i) CHECK(fit.best().loo_ms[i] == doctest::Approx(measured[i]).epsilon(1e-9));
  CHECK(lut::apply_calibration(c, lut)[2] == doctest::Approx(7.1));
}

TEST_CASE("class scales are fitted and chosen when the classes run at different fractions of their lone time") {
  // Pointwise layers run at 0.6 of their table time inside the network,
  // depthwise at 1.2; the stem is the same in every network.
  std::vector<lut::NetworkSum> lut;
  std::vector<double> measured;
  const double pw[] = {3.0, 4.0, 2.5, 5.0, 3.5, 4.5, 2.0, 6.0};
  const double dw[] = {1.0, 2.5, 2.0, 1.5, 3.0, 1.2, 2.8, 2.2};
  for (int i = 0; i < 8; ++i) {
    lut.push_back(network_sum({{"pointwise+relu", pw[i]}, {"depthwise+relu", dw[i]}, {"conv+hswish", 0.7}}));
    measured.push_back(0.6 * pw[i] + 1.2 * dw[i] + 0.9 * 0.7 + 0.5);
  }
  const lut::CalibrationFit fit = lut::fit_calibration(lut, measured);
  REQUIRE(form(fit, "scale") != nullptr);
  CHECK(fit.best().form == "class scales");
  const lut::Calibration& c = fit.best().calibration;
  CHECK(c.class_scales.size() == 2);  // the constant stem has no scale of its own
  CHECK(c.class_scales.at(class_named("pointwise+relu")) == doctest::Approx(0.6).epsilon(1e-9));
  CHECK(c.class_scales.at(class_named("depthwise+relu")) == doctest::Approx(1.2).epsilon(1e-9));
  CHECK(fit.best().loo.mape == doctest::Approx(0.0).epsilon(1e-9));
  CHECK(form(fit, "scale")->loo.mape > 1.0);  // one scale for both cannot follow them
  for (std::size_t i = 0; i < lut.size(); ++i)
    CHECK(lut::calibrated_latency(c, lut[i]) == doctest::Approx(measured[i]).epsilon(1e-9));
}

TEST_CASE("with every class scaled on its own, the rest is exactly empty and the written line reads back") {
  // No constant class: the share left for `scale` is 0 in every network,
  // not rounding noise that could pass for a varying share (and take a
  // scale a table line may not hold).
  std::vector<lut::NetworkSum> lut;
  std::vector<double> measured;
  const double pw[] = {3.1, 4.7, 2.3, 5.9, 3.3, 4.1, 2.2, 6.3};
  const double dw[] = {1.1, 2.9, 2.1, 1.3, 3.7, 1.9, 2.7, 2.3};
  for (int i = 0; i < 8; ++i) {
    lut.push_back(network_sum({{"pointwise+relu", pw[i]}, {"depthwise+relu", dw[i]}}));
    measured.push_back(0.7 * pw[i] + 1.3 * dw[i] + 0.25);
  }
  const lut::CalibrationFit fit = lut::fit_calibration(lut, measured);
  REQUIRE(fit.best().form == "class scales");
  const lut::Calibration& c = fit.best().calibration;
  CHECK(c.scale > 0);
  const lut::Calibration back =
      lut::parse_calibration(lut::calibration_terms(c), "test");
  CHECK(back.class_scales.size() == 2);
  for (std::size_t i = 0; i < lut.size(); ++i)
    CHECK(lut::calibrated_latency(back, lut[i]) == doctest::Approx(measured[i]).epsilon(1e-9));
}

TEST_CASE("the per-layer term is fitted when every lone layer carried a fixed cost the network does not pay") {
  const double totals[] = {4.0, 5.0, 6.0, 7.0, 8.0, 9.0};
  const std::size_t layers[] = {40, 70, 45, 80, 50, 60};  // not proportional to the sums
  std::vector<lut::NetworkSum> lut;
  std::vector<double> measured;
  for (int i = 0; i < 6; ++i) {
    lut.push_back(network_sum({{"pointwise+relu", totals[i]}}, layers[i]));
    measured.push_back(0.9 * totals[i] - 0.02 * static_cast<double>(layers[i]) + 1.0);
  }
  const lut::CalibrationFit fit = lut::fit_calibration(lut, measured);
  // One layer class: the class forms are the plain forms written
  // differently and are not fitted, so rounding noise cannot choose
  // between equal models (it did, differently per BLAS kernel).
  CHECK(form(fit, "class scales") == nullptr);
  CHECK(form(fit, "class scales+per_layer") == nullptr);
  REQUIRE(fit.best().form == "scale+per_layer");
  CHECK(fit.best().loo.mape < 1e-6);
  CHECK(fit.best().calibration.per_layer_ms == doctest::Approx(-0.02).epsilon(1e-9));
  CHECK(fit.best().calibration.scale == doctest::Approx(0.9).epsilon(1e-9));
  CHECK(form(fit, "scale")->loo.mape > 1.0);
}

TEST_CASE("of forms that fit equally well the one with fewer terms is chosen, whatever the rounding") {
  // The layer count varies but costs nothing: "scale" and "scale+per_layer"
  // both fit exactly, their leave-one-out errors differing by rounding
  // noise only. A relative shift of 1e-12 in the data (another BLAS kernel
  // would round as differently) must not change the choice.
  const double totals[] = {4.0, 5.0, 6.0, 7.0, 8.0, 9.0};
  const std::size_t layers[] = {40, 70, 45, 80, 50, 60};
  for (const double jitter : {0.0, 1e-12, -1e-12}) {
    std::vector<lut::NetworkSum> lut;
    std::vector<double> measured;
    for (int i = 0; i < 6; ++i) {
      lut.push_back(network_sum({{"pointwise+relu", totals[i]}}, layers[i]));
      measured.push_back((0.9 * totals[i] + 1.0) * (1.0 + (i % 2 ? jitter : -jitter)));
    }
    const lut::CalibrationFit fit = lut::fit_calibration(lut, measured);
    REQUIRE(form(fit, "scale+per_layer") != nullptr);
    CHECK(fit.best().form == "scale");
    CHECK(fit.best().calibration.scale == doctest::Approx(0.9).epsilon(1e-9));
  }
}

TEST_CASE("a form with more terms is chosen only when it predicts clearly better") {
  // The per-layer term explains 1-2% of the latency: worth it. Then a
  // hundredth of that, under the measurement noise: not kept. The noise is
  // uncorrelated with the layer count, so the extra term cannot fit it
  // (leave-one-out MAPE ratio per_layer/plain: 0.36, then 1.2; far from the
  // 2% tie band whatever the kernels round).
  const double totals[] = {4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 5.5, 7.5};
  const std::size_t layers[] = {40, 70, 45, 80, 50, 60, 75, 42};
  const double noise[] = {0.004, 0.004, -0.003, -0.003, 0.002, -0.002, 0.001, -0.001};  // relative
  for (const double per_layer : {0.002, 0.00002}) {
    std::vector<lut::NetworkSum> lut;
    std::vector<double> measured;
    for (int i = 0; i < 8; ++i) {
      lut.push_back(network_sum({{"pointwise+relu", totals[i]}}, layers[i]));
      measured.push_back((0.9 * totals[i] + per_layer * static_cast<double>(layers[i]) + 1.0) * (1.0 + noise[i]));
    }
    const lut::CalibrationFit fit = lut::fit_calibration(lut, measured);
    CAPTURE(per_layer);
    CHECK(fit.best().form == (per_layer > 0.001 ? "scale+per_layer" : "scale"));
  }
}

TEST_CASE("a form with too many terms for the networks is not fitted") {
  // Two classes vary, so "class scales" has 3 terms and needs 5 networks.
  std::vector<lut::NetworkSum> lut;
  std::vector<double> measured;
  for (int i = 0; i < 4; ++i) {
    lut.push_back(network_sum({{"pointwise+relu", 2.0 + i}, {"depthwise+relu", 3.0 + 0.5 * i * i}}));
    measured.push_back(lut.back().latency_ms);
  }
  const lut::CalibrationFit fit = lut::fit_calibration(lut, measured);
  CHECK(fit.models.size() == 1);
  CHECK(fit.best().form == "scale");
}

TEST_CASE("a calibrated sum: overhead, per-layer term, class scales and the common scale for the rest") {
  lut::Calibration c;
  c.scale = 2.0;
  c.overhead_ms = 0.5;
  c.per_layer_ms = 0.01;
  c.class_scales[class_named("se")] = 0.5;
  const lut::NetworkSum s = network_sum({{"se", 1.0}, {"add", 3.0}}, 20);
  CHECK(lut::calibrated_latency(c, s) == doctest::Approx(0.5 + 0.2 + 0.5 * 1.0 + 2.0 * 3.0));
}

TEST_CASE("calibration refuses what it cannot fit, with the fix") {
  CHECK_THROWS_WITH_AS(lut::fit_calibration(plain_sums({1.0, 2.0}), {2.0, 3.0}), doctest::Contains("at least 3 networks"),
                       Error);
  CHECK_THROWS_WITH_AS(lut::fit_calibration(plain_sums({3.0, 3.0, 3.0}), {1.0, 2.0, 3.0}),
                       doctest::Contains("same LUT sum"), Error);
  CHECK_THROWS_WITH_AS(lut::fit_calibration(plain_sums({1.0, 2.0, 3.0}), {3.0, 2.0, 1.0}),
                       doctest::Contains("fitted scale"), Error);
  CHECK_THROWS_WITH_AS(lut::fit_calibration(plain_sums({1.0, 2.0, 3.0}), {1.0, 0.0, 2.0}), doctest::Contains("> 0"),
                       Error);
}

TEST_CASE("the check report: raw, table-calibrated and fitted figures from the samples") {
  std::vector<lut::CheckSample> samples;
  const double lut_ms[] = {10, 12, 14, 16, 18, 20};
  for (double x : lut_ms) samples.push_back({"a" + std::to_string(x), plain_sums({x})[0], 0.5 * x + 2.0});
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
  CHECK(text.find("form \"scale\", leave-one-out *") != std::string::npos);
  const std::string json = lut::check_json(r, {{"seed", "7"}});
  CHECK(json.find("\"fitted_calibration\"") != std::string::npos);
  CHECK(json.find("\"calibration_forms\"") != std::string::npos);
  CHECK(json.find("\"fitted_form\": \"scale\"") != std::string::npos);
  CHECK(json.find("\"measured_ms\"") != std::string::npos);
}

TEST_CASE("with two passes the report gives the measurement's own repeatability, pass 2 against pass 1") {
  std::vector<lut::CheckSample> samples;
  for (int i = 0; i < 5; ++i) {
    const double x = 10.0 + i;
    // Pass 2 swaps the order of the two largest networks: tau 0.8.
    const double second = i == 3 ? 2 * (x + 1) : i == 4 ? 2 * (x - 1) : 2 * x;
    samples.push_back({"a", plain_sums({x})[0], 2 * x, {2 * x, second}});
  }
  const lut::CheckReport r = lut::analyse_check(samples, std::nullopt);
  REQUIRE(r.repeatability);
  CHECK(r.repeatability->kendall_tau == doctest::Approx(0.8));
  CHECK(lut::check_text(r).find("pass 2 vs pass 1") != std::string::npos);
  samples[0].passes_ms.clear();
  CHECK_FALSE(lut::analyse_check(samples, std::nullopt).repeatability);
}

TEST_CASE("layer classes: convolutions by kind and activation, names that read back") {
  Layer dw;
  dw.op = OpKind::Conv2d;
  dw.in = {72, 56, 56};
  dw.out = {72, 56, 56};
  dw.kernel = 5;
  dw.groups = 72;
  dw.activation = ActivationKind::HardSwish;
  CHECK(lut::layer_class_name(lut::layer_class(dw)) == "depthwise+hswish");
  Layer pw = dw;
  pw.kernel = 1;
  pw.groups = 1;
  pw.activation = ActivationKind::None;
  CHECK(lut::layer_class_name(lut::layer_class(pw)) == "pointwise");
  Layer dense = pw;
  dense.kernel = 3;
  dense.in = {3, 224, 224};
  CHECK(lut::layer_class_name(lut::layer_class(dense)) == "conv");
  Layer grouped = dense;  // groups < input channels: not depthwise
  grouped.in = {64, 28, 28};
  grouped.groups = 4;
  CHECK(lut::layer_class_name(lut::layer_class(grouped)) == "conv");
  Layer se;
  se.op = OpKind::SqueezeExcite;
  CHECK(lut::layer_class_name(lut::layer_class(se)) == "se");
  for (std::size_t c = 0; c < lut::kLayerClasses; ++c) CHECK(lut::layer_class_from_name(lut::layer_class_name(c)) == c);
  CHECK_FALSE(lut::layer_class_from_name("pointwise+swish"));
  // GELU and Tanh (added later) have classes after the plain ones: the
  // earlier ids did not move.
  CHECK(lut::layer_class_from_name("linear+gelu") > lut::layer_class_from_name("tslice"));
  CHECK(lut::layer_class_from_name("se") == 30);
  CHECK(lut::layer_class_from_name("tconcat") == 42);
}
