// `nasctl pick RUN_DIR --export model.onnx` (issue 13 item 2) writes a model
// that ONNX itself accepts: the file parses as a ModelProto, passes
// onnx::checker::check_model, and its metadata names the architecture pick
// printed, so the file is the picked network and not another of the front.
// Built only where nasctl has ONNX (tests/report/CMakeLists.txt).
#include <doctest/doctest.h>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <nlohmann/json.hpp>

#include "report_fixtures.hpp"

using namespace nasctl::test;

namespace {

std::string metadata(const ::onnx::ModelProto& model, const std::string& key) {
  for (const auto& entry : model.metadata_props())
    if (entry.key() == key) return entry.value();
  return "(no " + key + ")";
}

struct Picked {
  ::onnx::ModelProto model;
  std::string arch;
  double params;  // cost.params of the picked architecture, as pick printed it
};

// Picks from `run` with `rule` and exports to `file`.
Picked pick_onnx(const TempDir& dir, const std::vector<std::string>& rule, const std::string& file) {
  std::vector<std::string> args{"pick", dir / "run", "--json", "--export", dir / file};
  args.insert(args.end(), rule.begin(), rule.end());
  const auto r = run_nasctl(args, "", 120);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto picked = nlohmann::json::parse(r.out);
  Picked p;
  p.arch = picked["arch"].get<std::string>();
  p.params = picked["metrics"]["cost.params"].get<double>();
  REQUIRE_MESSAGE(p.model.ParseFromString(read_text(dir / file)), "not an ONNX ModelProto: " << dir / file);
  return p;
}

// Weights the model holds: the elements of its initializers.
double weights(const ::onnx::ModelProto& m) {
  double n = 0;
  for (const auto& t : m.graph().initializer()) {
    double size = 1;
    for (const auto d : t.dims()) size *= static_cast<double>(d);
    n += size;
  }
  return n;
}

}  // namespace

TEST_CASE("pick --export model.onnx writes a model ONNX's checker accepts, of the architecture pick printed") {
  TempDir dir("report");
  REQUIRE(search_run(dir, "run", kAnalyticConfig, {"--no-report"}).exit_code == 0);

  const Picked knee = pick_onnx(dir, {}, "knee.onnx");
  CHECK_NOTHROW(::onnx::checker::check_model(knee.model));
  CHECK(metadata(knee.model, "nasctl.space") == "ofa-mobilenetv3");
  CHECK(metadata(knee.model, "nasctl.arch") == knee.arch);
  REQUIRE(knee.model.graph().input_size() == 1);
  CHECK(knee.model.graph().node_size() > 0);
  // The file holds the picked network's weights: its parameter count, less
  // the batch norms folded into the convolutions (well under 1 %).
  CHECK(weights(knee.model) == doctest::Approx(knee.params).epsilon(0.01));

  // Another rule picks another network of the front (kAnalyticConfig
  // maximises cost.params: the largest): the file follows it.
  const Picked largest = pick_onnx(dir, {"--best", "cost.params"}, "largest.onnx");
  CHECK_NOTHROW(::onnx::checker::check_model(largest.model));
  CHECK(metadata(largest.model, "nasctl.arch") == largest.arch);
  REQUIRE(largest.arch != knee.arch);
  REQUIRE(largest.params > knee.params);
  CHECK(weights(largest.model) == doctest::Approx(largest.params).epsilon(0.01));
  CHECK(weights(largest.model) > weights(knee.model));
}
