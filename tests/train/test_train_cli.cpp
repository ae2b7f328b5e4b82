// `nasctl train` end to end: a run stopped after an epoch and resumed gives
// the tensors of the uninterrupted run, also around a phase that sorts
// channels; its checkpoint is what the
// `supernet` accuracy source loads; every bad input is one line, exit code
// 2, and nothing is written.
#include "torch_doctest.hpp"  // first: LibTorch's CHECK must not replace doctest's

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "dataset_files.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "nasctl/torch/latency.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
namespace fs = std::filesystem;

namespace {

const std::string kSpace =
    "[space]\nplugin = \"ofa-mobilenetv3\"\nwidth = 0.35\nclasses = 10\ninput_channels = 1\nstem = \"small\"\n"
    "resolutions = [28]\n";

// Two epochs of four steps on 128 images: the largest and the smallest
// sub-network per step (the smallest distilled from the largest).
const std::string kTrain =
    "[train]\nepochs = 2\nbatch_size = 32\ntrain_images = 128\nvalidation_images = 50\ncalibration_images = 64\n"
    "calibration_batch = 64\nsampler = \"sandwich\"\nrandom_per_step = 0\nlr = 0.05\nthreads = 1\n";

std::string with(const std::string& text, const std::string& from, const std::string& to) {
  std::string out = text;
  const auto pos = out.find(from);
  REQUIRE(pos != std::string::npos);
  return out.replace(pos, from.size(), to);
}

test::CliResult train(const std::vector<std::string>& args) {
  std::vector<std::string> all{"train", "--no-progress"};
  all.insert(all.end(), args.begin(), args.end());
  return test::run_nasctl(all, "", 300);
}

void check_success(const test::CliResult& r) {
  INFO("command: " << r.command);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
}

// The largest sub-network in DyNAS-T's dict form.
std::string largest_arch() {
  std::string ks, e;
  for (int i = 0; i < 20; ++i) {
    ks += std::string(i ? ", " : "") + "7";
    e += std::string(i ? ", " : "") + "6";
  }
  return "{'wid': None, 'ks': [" + ks + "], 'e': [" + e + "], 'd': [4, 4, 4, 4, 4], 'r': [28]}";
}

// metrics.csv without the timing columns (images_per_second, seconds).
std::string metrics_without_timing(const std::string& path) {
  std::istringstream in(test::read_text(path));
  std::string line, out;
  while (std::getline(in, line)) {
    std::size_t cut = line.size();
    for (int commas = 0, i = static_cast<int>(line.size()) - 1; i >= 0; --i)
      if (line[static_cast<std::size_t>(i)] == ',' && ++commas == 2) {
        cut = static_cast<std::size_t>(i);
        break;
      }
    out += line.substr(0, cut) + "\n";
  }
  return out;
}

// Two runs of one config, one interrupted and resumed, end with the same
// tensors and the same metrics (timing aside).
void check_ends_alike(const std::string& straight, const std::string& resumed) {
  const supernet::StateDict a = supernet::read_checkpoint(straight + "/checkpoint.pt");
  const supernet::StateDict b = supernet::read_checkpoint(resumed + "/checkpoint.pt");
  REQUIRE(a.names() == b.names());
  int differing = 0;
  for (const std::string& name : a.names())
    if (!at::equal(a.at(name), b.at(name))) ++differing;
  CHECK(differing == 0);
  CHECK(metrics_without_timing(straight + "/metrics.csv") == metrics_without_timing(resumed + "/metrics.csv"));
}

// An RGB space for image folders (the ImageNet stem at 128 px) and a
// training of one epoch on 9 of 12 images.
const std::string kRgbSpace =
    "[space]\nplugin = \"ofa-mobilenetv3\"\nwidth = 0.35\nclasses = 3\nresolutions = [128]\n";
const std::string kRgbTrain =
    "[train]\nepochs = 1\nbatch_size = 4\nvalidation_split = 3\ncalibration_images = 8\ncalibration_batch = 8\n"
    "sampler = \"sandwich\"\nrandom_per_step = 0\nlr = 0.05\nthreads = 1\nloader_threads = 2\n";

// `classes` class folders of `per_class` patterned PNGs, each of its own size.
void write_rgb_folder(const fs::path& root, int classes, int per_class) {
  for (int c = 0; c < classes; ++c) {
    const fs::path folder = root / ("class" + std::to_string(c));
    fs::create_directories(folder);
    for (int i = 0; i < per_class; ++i)
      datasets::test::write_png(folder / ("img" + std::to_string(i) + ".png"),
                                datasets::test::patterned_image(150 + 7 * i, 130 + 5 * c, 10 * c + i));
  }
}

}  // namespace

TEST_CASE("an image folder trains with Once-for-All's training transform, the same with any loader threads") {
  test::TempDir dir("train-folder");
  write_rgb_folder(dir.path() / "images", 3, 4);
  // OFA's "tf" colour jitter on top of the crop and flip.
  const std::string config = kRgbSpace + kRgbTrain + "dataset = \"images\"\ncolor_jitter = \"tf\"\n";  // relative to the config's folder
  test::write_text(dir / "train.toml", config);
  check_success(train({"-c", dir / "train.toml", "-o", dir / "a"}));
  check_success(train({"-c", dir / "train.toml", "-o", dir / "b", "--set", "train.loader_threads=1"}));
  CHECK(metrics_without_timing(dir / "a/metrics.csv") == metrics_without_timing(dir / "b/metrics.csv"));
  const supernet::StateDict a = supernet::read_checkpoint(dir / "a/checkpoint.pt");
  const supernet::StateDict b = supernet::read_checkpoint(dir / "b/checkpoint.pt");
  CHECK(at::equal(a.at("classifier.linear.weight"), b.at("classifier.linear.weight")));
  // Without the jitter the same seed trains on other pixels.
  check_success(train({"-c", dir / "train.toml", "-o", dir / "plain", "--set", "train.color_jitter=none"}));
  const supernet::StateDict plain = supernet::read_checkpoint(dir / "plain/checkpoint.pt");
  CHECK_FALSE(at::equal(a.at("classifier.linear.weight"), plain.at("classifier.linear.weight")));
  // One epoch: 9 training images in batches of 4 make 2 steps.
  CHECK(metrics_without_timing(dir / "a/metrics.csv").find("\n1,1,2,") != std::string::npos);
}

TEST_CASE("elastic resolution on an image folder: a run stopped and resumed ends as the uninterrupted run") {
  test::TempDir dir("train-elastic-resume");
  write_rgb_folder(dir.path() / "images", 3, 4);
  // Each step's images at 32 or 40 pixels, drawn with the step's sub-networks.
  const std::string config =
      "[space]\nplugin = \"ofa-mobilenetv3\"\nwidth = 0.35\nclasses = 3\nstem = \"small\"\nresolutions = [32, 40]\n" +
      with(with(kRgbTrain, "epochs = 1", "epochs = 2"), "random_per_step = 0", "random_per_step = 1") +
      "dataset = \"images\"\ncolor_jitter = \"tf\"\n";
  test::write_text(dir / "train.toml", config);
  check_success(train({"-c", dir / "train.toml", "-o", dir / "straight"}));
  check_success(train({"-c", dir / "train.toml", "-o", dir / "resumed", "--stop-after-epochs", "1"}));
  CHECK(test::count_lines(dir / "resumed/metrics.csv") == 2);
  check_success(train({"--resume", dir / "resumed"}));
  const supernet::StateDict a = supernet::read_checkpoint(dir / "straight/checkpoint.pt");
  const supernet::StateDict b = supernet::read_checkpoint(dir / "resumed/checkpoint.pt");
  REQUIRE(a.names() == b.names());
  int differing = 0;
  for (const std::string& name : a.names())
    if (!at::equal(a.at(name), b.at(name))) ++differing;
  CHECK(differing == 0);
  CHECK(metrics_without_timing(dir / "straight/metrics.csv") == metrics_without_timing(dir / "resumed/metrics.csv"));
  // The same seed trains the same tensors again; another seed other ones.
  check_success(train({"-c", dir / "train.toml", "-o", dir / "again"}));
  CHECK(at::equal(a.at("classifier.linear.weight"),
                  supernet::read_checkpoint(dir / "again/checkpoint.pt").at("classifier.linear.weight")));
}

TEST_CASE("elastic resolution on Fashion-MNIST: its 28 x 28 images resized to each step's size, the same run twice") {
  test::TempDir dir("train-fashion-elastic");
  const std::string config = with(kSpace, "resolutions = [28]", "resolutions = [20, 28]") +
                             with(kTrain, "random_per_step = 0", "random_per_step = 1");
  test::write_text(dir / "train.toml", config);
  check_success(train({"-c", dir / "train.toml", "-o", dir / "a"}));
  check_success(train({"-c", dir / "train.toml", "-o", dir / "b"}));
  CHECK(test::count_lines(dir / "a/metrics.csv") == 3);  // header + 2 epochs
  CHECK(metrics_without_timing(dir / "a/metrics.csv") == metrics_without_timing(dir / "b/metrics.csv"));
  CHECK(at::equal(supernet::read_checkpoint(dir / "a/checkpoint.pt").at("classifier.linear.weight"),
                  supernet::read_checkpoint(dir / "b/checkpoint.pt").at("classifier.linear.weight")));
}

TEST_CASE("a run stopped after one epoch and resumed ends with the tensors of the uninterrupted run") {
  test::TempDir dir("train-resume");
  test::write_text(dir / "train.toml", kSpace + kTrain);
  check_success(train({"-c", dir / "train.toml", "-o", dir / "straight"}));

  const test::CliResult first = train({"-c", dir / "train.toml", "-o", dir / "resumed", "--stop-after-epochs", "1"});
  check_success(first);
  CHECK(first.out.find("Continue with: nasctl train --resume") != std::string::npos);
  CHECK(test::count_lines(dir / "resumed/metrics.csv") == 2);  // header + epoch 1
  // No -c: the run's own config.toml.
  check_success(train({"--resume", dir / "resumed"}));

  const supernet::StateDict a = supernet::read_checkpoint(dir / "straight/checkpoint.pt");
  const supernet::StateDict b = supernet::read_checkpoint(dir / "resumed/checkpoint.pt");
  REQUIRE(a.names() == b.names());
  int differing = 0;
  for (const std::string& name : a.names())
    if (!at::equal(a.at(name), b.at(name))) ++differing;
  CHECK(differing == 0);
  CHECK(a.size() > 400);
  CHECK(metrics_without_timing(dir / "straight/metrics.csv") == metrics_without_timing(dir / "resumed/metrics.csv"));
  CHECK(test::count_lines(dir / "resumed/metrics.csv") == 3);

  // Resuming a finished run trains nothing and changes nothing.
  const std::string state = test::read_text(dir / "resumed/train_state.pt");
  const test::CliResult again = train({"--resume", dir / "resumed"});
  check_success(again);
  CHECK(again.out.find("nothing to do") != std::string::npos);
  CHECK(test::read_text(dir / "resumed/train_state.pt") == state);

  SUBCASE("a resume with another config is refused, naming the key, and changes nothing") {
    test::write_text(dir / "other.toml", kSpace + with(kTrain, "lr = 0.05", "lr = 0.1"));
    const test::CliResult r = train({"-c", dir / "other.toml", "--resume", dir / "resumed"});
    CHECK_USER_ERROR(r, "another config", "train.lr", "0.05", "0.1");
    CHECK(test::read_text(dir / "resumed/train_state.pt") == state);
  }
  SUBCASE("a folder that holds a run is not trained into again without --resume") {
    const test::CliResult r = train({"-c", dir / "train.toml", "-o", dir / "resumed"});
    CHECK_USER_ERROR(r, "already holds a training run", "--resume");
    CHECK(test::read_text(dir / "resumed/train_state.pt") == state);
  }
  SUBCASE("the checkpoint is what the supernet accuracy source loads") {
    test::write_text(dir / "search.toml",
                     kSpace + "[search]\nplugin = \"random\"\n[accuracy]\nplugin = \"supernet\"\ncheckpoint = \"" +
                         (dir / "straight/checkpoint.pt") +
                         "\"\ndataset = \"fashion-mnist\"\nvalidation_images = 100\ncalibration_images = 100\n"
                         "calibration_batch = 100\n[[objectives]]\nmetric = \"accuracy.top1\"\ngoal = \"max\"\n"
                         "[budget]\nevaluations = 1\n");
    const test::CliResult r = test::run_nasctl({"evaluate", "-c", dir / "search.toml", largest_arch()}, "", 120);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    std::istringstream csv(r.out);
    std::string header, row;
    std::getline(csv, header);
    std::getline(csv, row);
    // The accuracy.top1 column holds a percentage.
    std::vector<std::string> names, values;
    for (std::istringstream h(header); std::getline(h, names.emplace_back(), ',');) {}
    for (std::istringstream v(row); std::getline(v, values.emplace_back(), ',');) {}
    const auto column = std::find(names.begin(), names.end(), "accuracy.top1") - names.begin();
    REQUIRE(static_cast<std::size_t>(column) < values.size());
    const double top1 = std::stod(values[static_cast<std::size_t>(column)]);
    CHECK(top1 >= 0.0);
    CHECK(top1 <= 100.0);
  }
}

TEST_CASE("a width phase sorts channels once at its start, and runs resumed there or later end as the straight run") {
  test::TempDir dir("train-sort");
  // The largest for an epoch, then elastic expand ratios for two, sorted first.
  test::write_text(dir / "train.toml",
                   kSpace + with(kTrain, "epochs = 2\n", "") +
                       "[[train.phases]]\nelastic = []\nepochs = 1\n[[train.phases]]\nelastic = [\"e\"]\nepochs = 2\n"
                       "sort_channels = true\n");
  const std::string sorted_line = "phase 2: channels sorted by importance in 32 groups";
  const test::CliResult straight = train({"-c", dir / "train.toml", "-o", dir / "straight"});
  check_success(straight);
  CHECK(straight.err.find(sorted_line) != std::string::npos);

  // Stopped before the sorting phase, then in its middle.
  const test::CliResult first = train({"-c", dir / "train.toml", "-o", dir / "resumed", "--stop-after-epochs", "1"});
  check_success(first);
  CHECK(first.err.find("channels sorted") == std::string::npos);
  const test::CliResult second = train({"--resume", dir / "resumed", "--stop-after-epochs", "1"});
  check_success(second);
  CHECK(second.err.find(sorted_line) != std::string::npos);
  const test::CliResult third = train({"--resume", dir / "resumed"});
  check_success(third);
  CHECK(third.err.find("channels sorted") == std::string::npos);  // sorted already, in the checkpoint

  check_ends_alike(dir / "straight", dir / "resumed");
}

TEST_CASE("nasctl validate accepts a config that only trains and nasctl search refuses it in one line") {
  test::TempDir dir("train-validate");
  test::write_text(dir / "train.toml", kSpace + kTrain);
  const test::CliResult valid = test::run_nasctl({"validate", "-c", dir / "train.toml"});
  CHECK(valid.exit_code == 0);
  CHECK(valid.out.find("valid") != std::string::npos);
  CHECK_USER_ERROR(test::run_nasctl({"search", "-c", dir / "train.toml", "-o", dir / "run"}), "only trains",
                   "nasctl train");
  CHECK_FALSE(fs::exists(dir / "run"));
}

TEST_CASE("bad training input is one line naming the key with exit code 2 and nothing written, from train and validate") {
  test::TempDir dir("train-errors");
  const std::string out = dir / "run";
  auto refused = [&](const std::string& config, const std::vector<std::string>& parts) {
    test::write_text(dir / "bad.toml", config);
    const test::CliResult r = train({"-c", dir / "bad.toml", "-o", out});
    CHECK_USER_ERROR(r, parts);
    CHECK_FALSE(fs::exists(out));
    // `nasctl validate` makes the same checks and says the same line.
    const test::CliResult validated = test::run_nasctl({"validate", "-c", dir / "bad.toml"});
    CHECK_USER_ERROR(validated, parts);
  };
  SUBCASE("a phase naming a variable the space lacks") {
    refused(kSpace + with(kTrain, "epochs = 2\n", "") +
                "[[train.phases]]\nelastic = [\"ks\"]\nepochs = 1\n[[train.phases]]\nelastic = [\"ks\", \"kernel\"]\n"
                "epochs = 1\n",
            {"train.phases[1].elastic", "'kernel'", "ks (ks0..ks19), e (e0..e19), d (d0..d4), r"});
  }
  SUBCASE("a learning rate of zero or below") {
    refused(kSpace + with(kTrain, "lr = 0.05", "lr = 0"), {"train.lr", "must be > 0"});
    refused(kSpace + with(kTrain, "epochs = 2\n", "") + "[[train.phases]]\nelastic = []\nepochs = 1\nlr = -0.1\n",
            {"train.phases[0].lr", "must be > 0"});
  }
  SUBCASE("a batch larger than the training images") {
    refused(kSpace + with(kTrain, "batch_size = 32", "batch_size = 129"),
            {"train.batch_size", "129", "128 training images", "at most 128"});
  }
  SUBCASE("an unknown sampler") {
    refused(kSpace + with(kTrain, "sampler = \"sandwich\"", "sampler = \"greedy\""), {"train.sampler", "greedy"});
  }
  SUBCASE("epochs together with phases, or neither") {
    refused(kSpace + kTrain + "[[train.phases]]\nelastic = []\nepochs = 1\n", {"train.epochs", "[[train.phases]]"});
    refused(kSpace + with(kTrain, "epochs = 2\n", ""), {"train.epochs", "is required"});
  }
  SUBCASE("an image folder that is missing, read by a grey space, or of other classes than the space's") {
    refused(kRgbSpace + kRgbTrain + "dataset = \"" + (dir / "images") + "\"\n", {"train.dataset", dir / "images"});
    write_rgb_folder(dir / "images", 3, 4);
    refused(kSpace + kTrain + "dataset = \"" + (dir / "images") + "\"\n", {"key 'space'", "RGB", "input_channels = 3"});
    refused(with(kRgbSpace, "classes = 3", "classes = 10") + kRgbTrain + "dataset = \"" + (dir / "images") + "\"\n",
            {"space.classes", "set classes = 3"});
    refused(kRgbSpace + with(kRgbTrain, "validation_split = 3", "validation_split = 12") + "dataset = \"" +
                (dir / "images") + "\"\n",
            {"train.validation_split", "fix: give 1 to 11"});
  }
  SUBCASE("device = \"cuda\" where LibTorch has no CUDA or there is no GPU") {
    if (!libtorch::cuda_unavailable_reason().empty())
      refused(kSpace + kTrain + "device = \"cuda\"\n", {"train.device", "\"cuda\" cannot be used"});
  }
  SUBCASE("a sub-network trained alone that is not of the space, or with the sandwich rule") {
    refused(kSpace + with(kTrain, "sampler = \"sandwich\"", "sampler = \"spos\"") + "subnetwork = \"ks=9\"\n",
            {"train.subnetwork", "'ks=9'", "ofa-mobilenetv3"});
    refused(kSpace + kTrain + "subnetwork = \"" + largest_arch() + "\"\n", {"train.sampler", "spos"});
  }
  SUBCASE("a colour jitter OFA does not name or nasctl does not offer, or one for grey Fashion-MNIST") {
    refused(kRgbSpace + kRgbTrain + "color_jitter = \"strong\"\n", {"train.color_jitter", "strong"});
    refused(kRgbSpace + kRgbTrain + "color_jitter = \"torch\"\n", {"train.color_jitter", "torch"});
    refused(kSpace + kTrain + "color_jitter = \"tf\"\n", {"train.color_jitter", "grey", "color_jitter = \"none\""});
  }
  SUBCASE("bf16 on the CPU") {
    refused(kSpace + kTrain + "bf16 = true\n", {"train.bf16", "device = \"cuda\""});
  }
  SUBCASE("a resolution Fashion-MNIST's 28 x 28 images are not resized to") {
    refused(with(kSpace, "stem = \"small\"\nresolutions = [28]", "stem = \"imagenet\"\nresolutions = [128]") + kTrain,
            {"space.resolutions", "128 x 128", "Fashion-MNIST", "4 to 112 pixels"});
  }
  SUBCASE("a space whose networks do not take Fashion-MNIST's grey images") {
    refused(with(kSpace, "input_channels = 1", "input_channels = 3") + kTrain, {"key 'space'", "grey (1 channel)"});
  }
  SUBCASE("a space without the super-network face") {
    refused("[plugins]\npaths = [\"" + std::string(NASCTL_TEST_PLUGIN_DIR) +
                "/test-plain-space.so\"]\n[space]\nplugin = \"test-plain\"\n" + kTrain,
            {"space.plugin", "test-plain", "no weight-sharing super-network"});
  }
  SUBCASE("sorting channels in a space that declares none (HURRICANE's operators own their weights)") {
    refused("[space]\nplugin = \"hurricane\"\n" + with(kTrain, "epochs = 2\n", "") +
                "[[train.phases]]\nelastic = []\nepochs = 1\n[[train.phases]]\nelastic = []\nepochs = 1\n"
                "sort_channels = true\n",
            {"train.phases[1].sort_channels", "no channel groups", "leave sort_channels out"});
  }
  SUBCASE("--resume of a folder without a run") {
    fs::create_directories(out);
    const test::CliResult r = train({"--resume", out});
    CHECK_USER_ERROR(r, "--resume", "train_state.pt");
    CHECK(fs::is_empty(out));
  }
}
