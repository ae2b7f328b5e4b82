// `nasctl search` and `nasctl evaluate` with [accuracy] plugin = "supernet" on
// the OFA fixture checkpoint and a folder of tiny images: metrics in the
// outputs, the checkpoint's SHA-256 in run.json; a bad checkpoint is one
// error line, exit 2, and no run folder.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "accuracy_support.hpp"
#include "cli_runner.hpp"

using namespace nasctl::test;

namespace {

std::string config_text(const std::string& checkpoint, const std::string& images) {
  return R"(seed = 3
out = "runs/unused"
[space]
plugin = "ofa-mobilenetv3"
width = 0.35
classes = 10
resolutions = [128]
[search]
plugin = "random"
[budget]
evaluations = 4
[run]
threads = 2
[accuracy]
plugin = "supernet"
checkpoint = ")" + checkpoint + R"("
dataset = ")" + images + R"("
validation_split = 20
calibration_images = 8
calibration_batch = 4
batch_size = 10
[[hardware]]
name = "cost"
plugin = "analytic"
[[objectives]]
metric = "accuracy.top1"
goal = "max"
[[objectives]]
metric = "cost.macs"
goal = "min"
)";
}

struct CliFolder {
  ScratchFolder scratch{"cli-supernet"};
  std::string images = (scratch / "images").string();
  std::string config = (scratch / "cfg.toml").string();
  CliFolder() { write_image_folder(images, 10, 4); }
  void write_config(const std::string& checkpoint) const { std::ofstream(config) << config_text(checkpoint, images); }
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("cli: a search with the supernet source records top1/top5/loss and run.json holds the checkpoint's SHA-256") {
  CliFolder f;
  f.write_config(ofa_checkpoint());
  const std::string run = (f.scratch / "run").string();
  const CliResult r = run_nasctl({"search", "-c", f.config, "-o", run, "--no-progress"}, "", 300);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string header = read_text(run + "/evaluations.csv").substr(0, 400);
  CHECK(header.find("accuracy.top1") != std::string::npos);
  CHECK(header.find("accuracy.top5") != std::string::npos);
  CHECK(header.find("accuracy.loss") != std::string::npos);
  const nlohmann::json report = nlohmann::json::parse(read_text(run + "/run.json"));
  const nlohmann::json& conditions = report.at("providers").at("accuracy").at("conditions");
  CHECK(conditions.at("checkpoint_sha256") == kOfaCheckpointSha256);
  CHECK(conditions.at("dataset") == f.images);
  CHECK(conditions.at("calibration_images") == "8");
  CHECK(conditions.at("validation_images") == "20");
  CHECK(conditions.at("device") == "cpu");
  CHECK(conditions.at("sub_networks_measured") == "4");
}

TEST_CASE("cli: evaluate with the supernet source prints top1, top5 and loss per architecture") {
  CliFolder f;
  f.write_config(ofa_checkpoint());
  const std::string arch = "{'wid': None, 'ks': [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], "
                           "'e': [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], 'd': [2,2,2,2,2], 'r': [128]}";
  const CliResult r = run_nasctl({"evaluate", "-c", f.config, arch}, "", 120);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("accuracy.top1,accuracy.top5,accuracy.loss") != std::string::npos);
}

TEST_CASE("cli: a checkpoint of another width is one error line naming the key, exit 2, and no run folder") {
  CliFolder f;
  f.write_config(ofa_checkpoint());
  std::string text = read_text(f.config);
  text.replace(text.find("width = 0.35"), 12, "width = 0.50");
  std::ofstream(f.config) << text;
  const std::string run = (f.scratch / "run").string();
  const CliResult r = run_nasctl({"search", "-c", f.config, "-o", run, "--no-progress"}, "", 120);
  CHECK_USER_ERROR(r, "accuracy.checkpoint", ofa_checkpoint(), "has shape", "fix:");
  CHECK(!std::filesystem::exists(run));
}
