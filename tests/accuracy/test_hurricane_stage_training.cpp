// HURRICANE's per-stage training with the supernet source, end to end on the
// CPU: `nasctl search` with search.plugin = "hurricane" trains the
// super-network of each stage's sub-space (only the searched group sampled,
// the other held as the stage holds it) before searching it, keeps each
// stage's checkpoint in the run folder and measures that stage's
// evaluations through it; a resumed run reuses finished stage training;
// bad input is one line naming the key; an image folder's stages train on
// its training part. Fashion-MNIST subsets of a few dozen images, a tiny
// folder and a width-0.35 OFA space keep each run to seconds.
#include <doctest/doctest.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accuracy_support.hpp"
#include "cli_runner.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/train/elastic.hpp"

using namespace nasctl;
using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

const std::string kSpace = R"(seed = 5
[space]
plugin = "ofa-mobilenetv3"
width = 0.35
classes = 10
input_channels = 1
stem = "small"
resolutions = [28]
)";

// 12 evaluations, 6 per stage; stage 1 searches the 20 kernel sizes with
// expand ratio, depth and resolution held at their first choice (3, 2, 28),
// stage 2 the rest with the kernels held at stage 1's best. One epoch of 3
// steps per stage.
const std::string kHurricane = R"([search]
plugin = "hurricane"
population = 4
parents = 2
mutations = 2
crossovers = 2
split = 20
stage1_epochs = 1
stage2_epochs = 1
)";

const std::string kRest = R"([budget]
evaluations = 12
[run]
threads = 1
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

const std::string kAccuracy = R"([accuracy]
plugin = "supernet"
dataset = "fashion-mnist"
validation_images = 40
calibration_images = 32
calibration_batch = 32
batch_size = 40
train_images = 96
train_batch_size = 32
train_lr = 0.05
train_threads = 1
)";

std::map<std::string, ConfigValue> source_keys(const std::string& checkpoint) {
  return {{"checkpoint", checkpoint},           {"dataset", std::string("fashion-mnist")},
          {"validation_images", int64_t{40}},   {"calibration_images", int64_t{32}},
          {"calibration_batch", int64_t{32}},   {"batch_size", int64_t{40}}};
}

std::unique_ptr<SearchSpace> fashion_space() {
  const PluginConfig config = make_config(
      spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys(),
      {{"width", 0.35}, {"classes", int64_t{10}}, {"input_channels", int64_t{1}}, {"stem", std::string("small")},
       {"resolutions", std::vector<int64_t>{28}}});
  return std::make_unique<spaces::ofa_mobilenetv3::OfaMobileNetV3>(PluginContext{config, "space", 42});
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

CliResult search(const std::vector<std::string>& args) {
  std::vector<std::string> all{"search", "--no-progress"};
  all.insert(all.end(), args.begin(), args.end());
  return run_nasctl(all, "", 300);
}

void require_success(const CliResult& r) {
  INFO("command: " << r.command);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
}

struct Record {
  std::string arch;
  double top1 = 0, loss = 0;
};

// The journal's evaluation records, in order.
std::vector<Record> journal_records(const fs::path& run) {
  std::ifstream in(run / "journal.jsonl");
  std::vector<Record> out;
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json j = nlohmann::json::parse(line);
    if (!j.contains("arch")) continue;
    out.push_back({j.at("arch").get<std::string>(), j.at("metrics").at("accuracy.top1").get<double>(),
                   j.at("metrics").at("accuracy.loss").get<double>()});
  }
  return out;
}

// Top-1 and loss of `arch` measured by a supernet source on `checkpoint`.
Record measure(const SearchSpace& space, const std::string& checkpoint, const std::string& arch) {
  auto source = make_source(source_keys(checkpoint));
  source->prepare(space);
  const CandidateHolder holder(space, space.parse(arch));
  const Metrics m = source->evaluate(holder.candidate);
  return {arch, m.at("top1"), m.at("loss")};
}

// Names of the tensors equal (or not) in two checkpoints, by prefix.
struct Comparison {
  int equal = 0, differing = 0;
};
Comparison compare(const supernet::StateDict& a, const supernet::StateDict& b, const std::string& prefix) {
  Comparison c;
  for (const std::string& name : a.names()) {
    if (name.rfind(prefix, 0) != 0) continue;
    (at::equal(a.at(name), b.at(name)) ? c.equal : c.differing) += 1;
  }
  return c;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("hurricane trains each stage's sub-space before searching it, and each stage scores through its checkpoint") {
  ScratchFolder scratch("hurricane-stages");
  // The weights stage 1 fine-tunes: a seeded super-network of the space.
  const auto space = fashion_space();
  const std::string initial = (scratch / "initial.pt").string();
  supernet::SuperNetwork(*space, 7).save(initial);
  const std::string config = (scratch / "search.toml").string();
  std::ofstream(config) << kSpace << kHurricane << kRest << kAccuracy << "checkpoint = \"" << initial << "\"\n";
  const fs::path run = scratch / "run";
  const CliResult r = search({"-c", config, "-o", run.string()});
  require_success(r);

  const fs::path stage1 = run / "subspaces/stage1", stage2 = run / "subspaces/stage2";
  for (const fs::path& stage : {stage1, stage2}) {
    INFO(stage);
    CHECK(fs::exists(stage / "checkpoint.pt"));
    CHECK(fs::exists(stage / "train_state.pt"));
    CHECK(count_lines((stage / "metrics.csv").string()) == 2);  // header + its one epoch
  }
  // Stage 1 trained before its first evaluation, stage 2 after stage 1's last.
  const auto trained1 = r.err.find("sub-space 'stage1': measuring through");
  const auto trained2 = r.err.find("sub-space 'stage2': measuring through");
  REQUIRE(trained1 != std::string::npos);
  REQUIRE(trained2 != std::string::npos);
  CHECK(trained1 < trained2);

  const supernet::StateDict init = supernet::read_checkpoint(initial);
  const supernet::StateDict one = supernet::read_checkpoint((stage1 / "checkpoint.pt").string());
  const supernet::StateDict two = supernet::read_checkpoint((stage2 / "checkpoint.pt").string());
  // Stage 1 trained the blocks its sub-space uses (depth held at 2: each
  // stage's first two blocks, e.g. blocks 1 and 2) and left the blocks no
  // sub-network of it has (blocks 3 and 4 of the first stage) untouched;
  // stage 2 searches depth and trains them too.
  CHECK(compare(init, one, "blocks.1.").differing > 0);
  CHECK(compare(init, one, "classifier.").differing > 0);
  const Comparison unused = compare(init, one, "blocks.3.");
  CHECK(unused.differing == 0);
  CHECK(unused.equal > 0);
  CHECK(compare(init, one, "blocks.20.").differing == 0);
  int deeper_trained_in_stage2 = 0;
  for (const char* block : {"blocks.3.", "blocks.4.", "blocks.7.", "blocks.8.", "blocks.11.", "blocks.12.",
                            "blocks.15.", "blocks.16.", "blocks.19.", "blocks.20."})
    deeper_trained_in_stage2 += compare(one, two, block).differing;
  CHECK(deeper_trained_in_stage2 > 0);

  // Each stage's evaluations are what its checkpoint gives, and not what the
  // other stage's gives: the first 6 records are stage 1's, the rest stage 2's.
  const std::vector<Record> records = journal_records(run);
  REQUIRE(records.size() == 12);
  at::set_num_threads(1);  // as the run measured (train_threads = 1)
  for (const std::size_t i : {std::size_t{0}, std::size_t{5}, std::size_t{6}, std::size_t{11}}) {
    const bool first = i < 6;
    const Record own = measure(*space, ((first ? stage1 : stage2) / "checkpoint.pt").string(), records[i].arch);
    const Record other = measure(*space, ((first ? stage2 : stage1) / "checkpoint.pt").string(), records[i].arch);
    INFO("record " << i << ": " << records[i].arch);
    CHECK(own.top1 == doctest::Approx(records[i].top1).epsilon(1e-9));
    CHECK(own.loss == doctest::Approx(records[i].loss).epsilon(1e-6));
    CHECK(other.loss != doctest::Approx(records[i].loss).epsilon(1e-6));
  }
  // Stage 1 never varies what it holds: expand ratios stay 3, depths 2.
  for (std::size_t i = 0; i < 6; ++i) {
    const Architecture a = space->parse(records[i].arch);
    for (std::size_t v = 20; v < a.size(); ++v) CHECK(a[v] == 0);
  }
  // run.json names each stage's checkpoint.
  const nlohmann::json report = nlohmann::json::parse(read_bytes(run / "run.json"));
  CHECK(report.dump().find("subspace.stage2.checkpoint_sha256") != std::string::npos);
}

TEST_CASE("a stage's training samples only its sub-space: searched variables elastic, the others held as given") {
  const auto space = fashion_space();
  const train::ElasticSpace elastic(*space);
  Architecture held(space->variables().size(), 0);
  held[20] = 2;  // e0 = 6
  const train::PhaseChoices choices = elastic.phase({"ks"}, held);
  for (std::size_t v = 0; v < 20; ++v) CHECK(choices.allowed[v].size() == 3);
  CHECK(choices.allowed[20] == std::vector<int>{2});
  for (std::size_t v = 21; v < held.size(); ++v) CHECK(choices.allowed[v] == std::vector<int>{0});
  // Without a held architecture the others sit at their largest.
  const train::PhaseChoices largest = elastic.phase({"ks"});
  CHECK(largest.allowed[20] == std::vector<int>{2});
  CHECK(largest.allowed[21] == std::vector<int>{2});
}

TEST_CASE("a resumed hurricane run reuses finished stage training and ends as the uninterrupted run") {
  ScratchFolder scratch("hurricane-resume");
  // From scratch: no checkpoint, stage 1 starts from seeded weights.
  const std::string config = (scratch / "search.toml").string();
  std::ofstream(config) << kSpace << kHurricane << kRest << kAccuracy;
  const fs::path straight = scratch / "straight";
  require_success(search({"-c", config, "-o", straight.string()}));
  const std::vector<Record> expected = journal_records(straight);
  REQUIRE(expected.size() == 12);

  // Killed in stage 1's search, after its training (4 of its 6 records
  // journaled), before stage 2 began: the journal cut there, no stage 2.
  const fs::path killed = scratch / "killed";
  fs::copy(straight, killed, fs::copy_options::recursive);
  fs::remove_all(killed / "subspaces/stage2");
  for (const char* file : {"evaluations.csv", "pareto.csv", "run.json"}) fs::remove(killed / file);
  {
    std::ifstream in(straight / "journal.jsonl");
    std::ofstream out(killed / "journal.jsonl", std::ios::trunc);
    std::string line;
    for (int kept = 0; kept < 5 && std::getline(in, line); ++kept) out << line << "\n";  // header + 4 records
  }
  const std::string state1 = read_bytes(killed / "subspaces/stage1/train_state.pt");
  const auto stage1_time = fs::last_write_time(killed / "subspaces/stage1/train_state.pt");

  const CliResult resumed = search({"--resume", killed.string()});
  require_success(resumed);
  INFO(resumed.err);
  // Stage 1 was not trained again; stage 2 was trained once.
  CHECK(resumed.err.find("sub-space 'stage1': already trained") != std::string::npos);
  CHECK(resumed.err.find("sub-space 'stage1' epoch") == std::string::npos);
  CHECK(resumed.err.find("sub-space 'stage2' epoch 1/1") != std::string::npos);
  CHECK(read_bytes(killed / "subspaces/stage1/train_state.pt") == state1);
  CHECK(fs::last_write_time(killed / "subspaces/stage1/train_state.pt") == stage1_time);
  // The same stage-2 weights and the same evaluations as without the kill.
  const supernet::StateDict a = supernet::read_checkpoint((straight / "subspaces/stage2/checkpoint.pt").string());
  const supernet::StateDict b = supernet::read_checkpoint((killed / "subspaces/stage2/checkpoint.pt").string());
  REQUIRE(a.names() == b.names());
  CHECK(compare(a, b, "").differing == 0);
  const std::vector<Record> got = journal_records(killed);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("record " << i);
    CHECK(got[i].arch == expected[i].arch);
    CHECK(got[i].top1 == expected[i].top1);
    CHECK(got[i].loss == expected[i].loss);
  }

  // Resuming the finished run trains nothing.
  const CliResult again = search({"--resume", killed.string()});
  require_success(again);
  CHECK(again.err.find(" epoch 1/1") == std::string::npos);
}

TEST_CASE("hurricane trains its stages on an image folder with the folder's training transform") {
  ScratchFolder scratch("hurricane-folder");
  // 3 classes of 8 patterned PNGs: 6 validation images, 18 to train on
  // (3 steps of 6 per epoch), read at 32 x 32 by an RGB small-stem space.
  const fs::path images = scratch / "images";
  write_image_folder(images, 3, 8);
  std::string text = replaced(kSpace, "input_channels = 1\nstem = \"small\"\nresolutions = [28]", "stem = \"small\"\nresolutions = [32]");
  text = replaced(text, "classes = 10", "classes = 3");
  std::string accuracy = replaced(kAccuracy, "dataset = \"fashion-mnist\"",
                                  "dataset = \"" + images.string() + "\"\nvalidation_split = 6\nloader_threads = 2");
  accuracy = replaced(accuracy, "train_images = 96\n", "");
  accuracy = replaced(accuracy, "calibration_images = 32", "calibration_images = 6");
  accuracy = replaced(accuracy, "calibration_batch = 32", "calibration_batch = 6");
  accuracy = replaced(accuracy, "validation_images = 40", "validation_images = 0");
  accuracy = replaced(accuracy, "batch_size = 40", "batch_size = 6");
  accuracy = replaced(accuracy, "train_batch_size = 32", "train_batch_size = 6");
  const std::string config = (scratch / "search.toml").string();
  std::ofstream(config) << text << kHurricane << kRest << accuracy;
  const fs::path run = scratch / "run";
  const CliResult r = search({"-c", config, "-o", run.string()});
  require_success(r);
  INFO(r.err);
  // Each stage trained one epoch of 3 steps on the folder's training part.
  CHECK(r.err.find("sub-space 'stage1': training its super-network") != std::string::npos);
  CHECK(r.err.find("training part (18 images of image folder") != std::string::npos);
  for (const char* stage : {"stage1", "stage2"}) {
    INFO(stage);
    const fs::path folder = run / "subspaces" / stage;
    REQUIRE(fs::exists(folder / "checkpoint.pt"));
    CHECK(fs::exists(folder / "train_state.pt"));
    const std::string metrics = read_bytes(folder / "metrics.csv");
    CHECK(metrics.find("\n1,1,3,") != std::string::npos);  // epoch 1, phase 1, 3 steps
  }
  CHECK(journal_records(run).size() == 12);
  // Stage 1 (depth held at 2) trained each stage's first blocks and left the
  // third untouched; stage 2 (depth searched) trained deeper blocks.
  const supernet::StateDict one = supernet::read_checkpoint((run / "subspaces/stage1/checkpoint.pt").string());
  const supernet::StateDict two = supernet::read_checkpoint((run / "subspaces/stage2/checkpoint.pt").string());
  CHECK(compare(one, two, "blocks.1.").differing > 0);
  int deeper_trained_in_stage2 = 0;
  for (const char* block : {"blocks.3.", "blocks.4.", "blocks.7.", "blocks.8.", "blocks.11.", "blocks.12.",
                            "blocks.15.", "blocks.16.", "blocks.19.", "blocks.20."})
    deeper_trained_in_stage2 += compare(one, two, block).differing;
  CHECK(deeper_trained_in_stage2 > 0);
}

TEST_CASE("stage training's bad input is one line naming the key, with exit code 2") {
  ScratchFolder scratch("hurricane-bad");
  auto run_with = [&](const std::string& text) {
    const std::string config = (scratch / "bad.toml").string();
    std::ofstream(config, std::ios::trunc) << text;
    fs::remove_all(scratch / "run");
    return search({"-c", config, "-o", (scratch / "run").string()});
  };
  const std::string good = kSpace + kHurricane + kRest + kAccuracy;

  SUBCASE("a learning rate of 0") {
    CHECK_USER_ERROR(run_with(replaced(good, "train_lr = 0.05", "train_lr = 0")), "accuracy.train_lr", "> 0");
  }
  SUBCASE("a batch larger than the training images") {
    CHECK_USER_ERROR(run_with(replaced(good, "train_batch_size = 32", "train_batch_size = 97")),
                     "accuracy.train_batch_size", "97", "96 training images");
  }
  SUBCASE("more training images than the training part holds") {
    CHECK_USER_ERROR(run_with(replaced(good, "train_images = 96", "train_images = 60000")), "accuracy.train_images",
                     "50000");
  }
  SUBCASE("negative stage epochs") {
    CHECK_USER_ERROR(run_with(replaced(good, "stage1_epochs = 1", "stage1_epochs = -1")), "search.stage1_epochs");
  }
  SUBCASE("no checkpoint and a stage that asks for no training") {
    CHECK_USER_ERROR(run_with(replaced(good, "stage1_epochs = 1", "stage1_epochs = 0")), "accuracy.checkpoint",
                     "stage1", "0 epochs");
  }
  SUBCASE("an image folder without training images (all of it validation)") {
    const fs::path images = scratch / "images";
    write_image_folder(images, 3, 4);
    std::string text = replaced(good, "input_channels = 1\nstem = \"small\"\nresolutions = [28]", "stem = \"small\"\nresolutions = [32]");
    text = replaced(text, "classes = 10", "classes = 3");
    text = replaced(text, "dataset = \"fashion-mnist\"",
                    "dataset = \"" + images.string() + "\"\nvalidation_split = 0\ncalibration_folder = \"" +
                        images.string() + "\"");
    text = replaced(text, "train_images = 96\n", "");
    text = replaced(text, "calibration_images = 32", "calibration_images = 4");
    text = replaced(text, "calibration_batch = 32", "calibration_batch = 4");
    text = replaced(text, "validation_images = 40", "validation_images = 0");
    text = replaced(text, "train_batch_size = 32", "train_batch_size = 4");
    CHECK_USER_ERROR(run_with(text), "accuracy.validation_split", "training images");
  }
  SUBCASE("no checkpoint with a search that trains nothing") {
    CHECK_USER_ERROR(run_with(kSpace + "[search]\nplugin = \"random\"\n" + kRest + kAccuracy), "checkpoint",
                     "not given");
  }
}
