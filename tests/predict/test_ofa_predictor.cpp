// The table and predictor sources on real data: DyNAS-T's ImageNet
// measurements of OFA MobileNetV3 sub-networks (data/ofa_mbv3_w10_imagenet),
// parsed by the OFA MobileNetV3 space.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "../../plugins/accuracy/predictor/predictor_source.hpp"
#include "../../plugins/accuracy/table/table_source.hpp"
#include "../../plugins/spaces/ofa-mobilenetv3/ofa_mobilenetv3.hpp"
#include "nasctl/predict/architecture_table.hpp"
#include "nasctl/predict/ridge.hpp"
#include "nasctl/predict/statistics.hpp"
#include "nasctl/rng.hpp"
#include "test_support.hpp"

using namespace nasctl;
using namespace nasctl::predict;

namespace {

std::vector<std::string> ofa_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(NASCTL_SOURCE_DIR "/data/ofa_mbv3_w10_imagenet")) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct OfaFixture {
  PluginConfig space_config = test::make_config(spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys(), {});
  spaces::ofa_mobilenetv3::OfaMobileNetV3 space{PluginContext{space_config, "ofa"}};
};

}  // namespace

TEST_CASE("ridge fitted on 250 random OFA sub-networks ranks the rest with Kendall tau >= 0.8") {
  const OfaFixture f;
  const ArchitectureTable table(read_metric_table(ofa_files(), TableColumns{}), f.space);
  REQUIRE(table.size() > 2000);

  std::vector<std::size_t> order(table.size());
  std::iota(order.begin(), order.end(), 0);
  Rng rng(2024);
  for (std::size_t i = order.size() - 1; i > 0; --i)
    std::swap(order[i], order[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(i + 1)))]);

  FeatureRows train_x, test_x;
  std::vector<double> train_y, test_y;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& entry = table.entries()[order[k]];
    (k < 250 ? train_x : test_x).push_back(f.space.encode(entry.arch));
    (k < 250 ? train_y : test_y).push_back(entry.values[0]);
  }
  RidgeCV model;
  model.fit(train_x, train_y);
  const Statistics held_out = compute_statistics(test_y, model.predict(test_x));
  MESSAGE("OFA MobileNetV3, 250 train / " << test_y.size() << " held out: lambda " << model.report().lambda << "; CV "
                                          << summary(model.report().cv.statistics) << "; held out "
                                          << summary(held_out));
  CHECK(held_out.kendall_tau >= 0.8);
  CHECK(held_out.mape < 1.0);
}

TEST_CASE("table source finds DyNAS-T's sub-networks by canonical form and averages their repeats") {
  const OfaFixture f;
  const PluginConfig config = test::make_config(accuracy::table::TableSource::config_keys(), {{"files", ofa_files()}});
  accuracy::table::TableSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  // In three of the files, at 75.448, 75.462 and 75.458.
  const Architecture arch = f.space.parse(
      "{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], "
      "'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}");
  const test::CandidateHolder c(f.space, arch);
  CHECK(source.evaluate(c.candidate).at("top1") == doctest::Approx(75.456).epsilon(1e-9));
}

TEST_CASE("predictor source fitted on all OFA tables reports a cross-validated Kendall tau above 0.85") {
  const OfaFixture f;
  const PluginConfig config = test::make_config(accuracy::predictor::PredictorSource::config_keys(), {{"files", ofa_files()}});
  accuracy::predictor::PredictorSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  Rng rng(5);
  const test::CandidateHolder c(f.space, f.space.sample(rng));
  const double predicted = source.evaluate(c.candidate).at("top1_pred");
  const Conditions conditions = source.conditions();
  MESSAGE("OFA predictor on all tables: "
          << conditions.at("architectures") << " architectures, lambda " << conditions.at("top1_pred.lambda")
          << ", CV tau " << conditions.at("top1_pred.cv_kendall_tau") << ", CV MAPE "
          << conditions.at("top1_pred.cv_mape_percent") << "%, fit " << conditions.at("fit_seconds") << " s");
  CHECK(std::stod(conditions.at("top1_pred.cv_kendall_tau")) > 0.85);
  CHECK(predicted > 70.0);
  CHECK(predicted < 82.0);
}
