// `nasctl export --checkpoint`: the chosen sub-network of a super-network
// checkpoint, with the weights and batch-norm statistics it inherits, as a
// TorchScript archive (.pt: float NCHW in, logits out) or ONNX (.onnx). The
// exported file, loaded back, computes what the super-network's sub-network
// computes on the same input (relative tolerance 1e-4); bad input is one
// line, exit code 2, and nothing is written.
#include "torch_doctest.hpp"  // first: LibTorch's CHECK must not replace doctest's

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/jit/serialization/import.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"
#include "temp_dir.hpp"

#ifdef NASCTL_TEST_WITH_ONNX
#include <onnx/onnx_pb.h>

#include "onnx_interpreter.hpp"
#endif

using namespace nasctl;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;
namespace fs = std::filesystem;

namespace {

// tests/fixtures/ofa: a w0.35, 10-class checkpoint made by once-for-all's own code.
const std::string kFixture =
    std::string(NASCTL_SOURCE_DIR) + "/tests/fixtures/ofa/ofa_mbv3_d234_e346_k357_w035_c10.pth";

// Every stage at a different depth, all three kernels and expand ratios.
const std::string kArch =
    "{'wid': None, 'ks': [3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5], "
    "'e': [6, 4, 3, 6, 4, 3, 6, 4, 3, 6, 4, 3, 6, 4, 3, 6, 4, 3, 6, 4], 'd': [2, 3, 4, 2, 3], 'r': [160]}";

// The [space] lines of the fixture's configuration, and the same as TOML.
const std::map<std::string, ConfigValue> kFixtureKeys{
    {"width", 0.35}, {"classes", int64_t{10}}, {"resolutions", std::vector<int64_t>{160, 224}}};
const std::string kFixtureSpace = "width = 0.35\nclasses = 10\nresolutions = [160, 224]\n";
// Fashion-MNIST's images: 28x28, one channel, 10 classes, small stem.
const std::map<std::string, ConfigValue> kGreyKeys{{"width", 0.35},
                                                   {"classes", int64_t{10}},
                                                   {"input_channels", int64_t{1}},
                                                   {"stem", std::string("small")},
                                                   {"resolutions", std::vector<int64_t>{28}}};
const std::string kGreySpace = "width = 0.35\nclasses = 10\ninput_channels = 1\nstem = \"small\"\nresolutions = [28]\n";

std::string config(const std::string& space_lines) {
  return test::config_with("plugin = \"ofa-mobilenetv3\"\n", "plugin = \"ofa-mobilenetv3\"\n" + space_lines);
}

test::CliResult export_with(const test::TempDir& dir, const std::string& space_lines, const std::string& checkpoint,
                            const std::string& arch, const std::string& out,
                            const std::vector<std::string>& extra = {}) {
  test::write_text(dir / "cfg.toml", config(space_lines));
  std::vector<std::string> args{"export", "-c", dir / "cfg.toml", "--arch", arch, "--checkpoint", checkpoint, "-o", out};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::run_nasctl(args, "", 120);
}

std::vector<std::string> files_in(const test::TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The sub-network's logits as nasctl::supernet computes them from the checkpoint.
at::Tensor supernet_logits(const std::map<std::string, ConfigValue>& keys, const std::string& checkpoint,
                           const std::string& arch, const at::Tensor& input) {
  const auto space = test::make_plugin<OfaMobileNetV3>(keys);
  const supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(*space, checkpoint);
  supernet::SubNetwork sub = net.activate(space->parse(arch));
  return sub.forward(input);
}

at::Tensor input_of(std::vector<int64_t> shape, uint64_t seed) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  return at::normal(0.0, 1.0, shape, gen);
}

// Largest difference relative to the reference's largest magnitude.
double relative_difference(const at::Tensor& got, const at::Tensor& want) {
  return (got - want).abs().max().item<double>() / want.abs().max().item<double>();
}

at::Tensor run_torchscript(const std::string& path, const at::Tensor& input) {
  torch::jit::Module module = torch::jit::load(path);
  module.eval();
  return module.forward({input}).toTensor();
}

#ifdef NASCTL_TEST_WITH_ONNX
at::Tensor run_onnx(const std::string& path, const at::Tensor& input) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  ::onnx::ModelProto model;
  REQUIRE(model.ParseFromString(bytes.str()));
  return test::run_onnx_graph(model.graph(), input);
}

std::string onnx_metadata(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  ::onnx::ModelProto model;
  model.ParseFromString(bytes.str());
  for (const auto& entry : model.metadata_props()) {
    if (entry.key() == key) return entry.value();
  }
  return "";
}
#endif

// A grey small-stem super-network with non-trivial statistics, shifts and
// kernel matrices, saved as a checkpoint.
void save_grey_checkpoint(const std::string& path) {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const supernet::SuperNetwork net(*space, 8);
  const supernet::StateDict state = net.state_dict();
  at::Generator gen = at::detail::createCPUGenerator(13);
  for (const std::string& name : state.names()) {
    const at::Tensor& t = state.at(name);
    if (name.find("running_var") != std::string::npos)
      t.uniform_(0.5, 1.5, gen);
    else if (name.find("running_mean") != std::string::npos || name.find("bn.bias") != std::string::npos)
      t.normal_(0.0, 0.1, gen);
    else if (name.find("_matrix") != std::string::npos)
      t.add_(at::empty_like(t).normal_(0.0, 0.1, gen));
  }
  net.save(path);
}

}  // namespace

TEST_CASE("export --checkpoint -o m.pt: the TorchScript archive computes the super-network's sub-network") {
  c10::InferenceMode guard;
  test::TempDir dir("export-ckpt");
  const auto r = export_with(dir, kFixtureSpace, kFixture, kArch, dir / "m.pt");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("TorchScript archive") != std::string::npos);
  CHECK(r.out.find("weights inherited from super-network checkpoint ofa_mbv3_d234_e346_k357_w035_c10.pth") !=
        std::string::npos);
  const at::Tensor x = input_of({3, 3, 160, 160}, 1);
  const at::Tensor want = supernet_logits(kFixtureKeys, kFixture, kArch, x);
  const at::Tensor got = run_torchscript(dir / "m.pt", x);
  REQUIRE(got.sizes() == at::IntArrayRef{3, 10});
  CHECK(relative_difference(got, want) <= 1e-4);
  // Not the seeded weights: the same export without --checkpoint differs.
  REQUIRE(test::run_nasctl({"export", "-c", dir / "cfg.toml", "--arch", kArch, "-o", dir / "seeded.pt"}).exit_code == 0);
  CHECK(relative_difference(run_torchscript(dir / "seeded.pt", x), want) > 1e-2);
}

TEST_CASE("a grey 28x28 small-stem sub-network exported from its checkpoint takes [N, 1, 28, 28] and gives its logits") {
  c10::InferenceMode guard;
  test::TempDir dir("export-grey");
  save_grey_checkpoint(dir / "grey.pth");
  const std::string arch = "{'ks': [7, 5, 3, 7, 5, 3, 7, 5, 3, 7, 5, 3, 7, 5, 3, 7, 5, 3, 7, 5], "
                           "'e': [3, 6, 4, 3, 6, 4, 3, 6, 4, 3, 6, 4, 3, 6, 4, 3, 6, 4, 3, 6], 'd': [4, 3, 2, 4, 2], "
                           "'r': [28]}";
  const auto r = export_with(dir, kGreySpace, dir / "grey.pth", arch, dir / "grey.pt");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const at::Tensor x = input_of({2, 1, 28, 28}, 2);
  const at::Tensor want = supernet_logits(kGreyKeys, dir / "grey.pth", arch, x);
  const at::Tensor got = run_torchscript(dir / "grey.pt", x);
  REQUIRE(got.sizes() == at::IntArrayRef{2, 10});
  CHECK(relative_difference(got, want) <= 1e-4);
#ifdef NASCTL_TEST_WITH_ONNX
  REQUIRE(export_with(dir, kGreySpace, dir / "grey.pth", arch, dir / "grey.onnx", {"--batch", "2"}).exit_code == 0);
  const at::Tensor onnx = run_onnx(dir / "grey.onnx", x);
  REQUIRE(onnx.sizes() == at::IntArrayRef{2, 10});
  CHECK(relative_difference(onnx, want) <= 1e-4);
#endif
}

TEST_CASE("--recalibrate fashion-mnist exports the statistics of OFA's re-calibration on a seeded training subset") {
  using namespace nasctl::datasets;
  if (!fs::exists(fs::path(kFashionMnistDebianFolder) / "train-images-idx3-ubyte.gz")) {
    MESSAGE("skipped: Debian's dataset-fashion-mnist is not installed");
    return;
  }
  c10::InferenceMode guard;
  test::TempDir dir("export-recal");
  save_grey_checkpoint(dir / "grey.pth");
  const std::string arch = "ks=3,5,7,-,3,5,-,-,7,3,5,7,3,5,-,-,7,3,5,-;e=6,4,3,-,6,4,-,-,3,6,4,3,6,4,-,-,3,6,4,-;"
                           "d=3,2,4,2,3;r=28";
  const auto r = export_with(dir, kGreySpace, dir / "grey.pth", arch, dir / "recal.pt",
                             {"--recalibrate", "fashion-mnist", "--calibration-images", "400", "--calibration-seed", "5"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("batch norms re-calibrated on 400 images of fashion-mnist (seed 5)") != std::string::npos);

  // The same in process: 400 training images drawn with seed 5, batches of 200.
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(*space, dir / "grey.pth");
  supernet::SubNetwork sub = net.activate(space->parse(arch));
  const at::Tensor x = input_of({2, 1, 28, 28}, 4);
  const at::Tensor inherited = sub.forward(x);
  const auto images = seeded_subset(open_fashion_mnist().train, 400, 5);
  BatchStream stream = images->read(all_indices(*images), 200, 28);
  CHECK(sub.recalibrate_batch_norm([&]() -> at::Tensor {
    std::optional<Batch> batch = stream.next();
    return batch ? batch->images : at::Tensor();
  }) == 400);
  const at::Tensor want = sub.forward(x);
  const at::Tensor got = run_torchscript(dir / "recal.pt", x);
  REQUIRE(got.sizes() == at::IntArrayRef{2, 10});
  CHECK(relative_difference(got, want) <= 1e-4);
  CHECK(relative_difference(got, inherited) > 1e-3);  // the statistics did change
}

#ifdef NASCTL_TEST_WITH_ONNX

TEST_CASE("export --checkpoint -o m.onnx: the ONNX graph (batch norms folded) computes the super-network's sub-network") {
  c10::InferenceMode guard;
  test::TempDir dir("export-ckpt");
  const auto r = export_with(dir, kFixtureSpace, kFixture, kArch, dir / "m.onnx", {"--batch", "3"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("ONNX (opset 14), batch 3, BatchNorm folded into Conv, weights inherited from super-network "
                   "checkpoint") != std::string::npos);
  CHECK(onnx_metadata(dir / "m.onnx", "nasctl.weights").find("ofa_mbv3_d234_e346_k357_w035_c10.pth") !=
        std::string::npos);
  CHECK(onnx_metadata(dir / "m.onnx", "nasctl.seed").empty());
  const at::Tensor x = input_of({3, 3, 160, 160}, 3);
  const at::Tensor want = supernet_logits(kFixtureKeys, kFixture, kArch, x);
  const at::Tensor got = run_onnx(dir / "m.onnx", x);
  REQUIRE(got.sizes() == at::IntArrayRef{3, 10});
  CHECK(relative_difference(got, want) <= 1e-4);
}

#endif

TEST_CASE("export --checkpoint refuses a checkpoint of another configuration, a missing file and a foreign arch") {
  test::TempDir dir("export-bad");
  const std::string out = dir / "m.pt";
  // The space configured for 1000 classes, width 1.0, or grey images.
  CHECK_USER_ERROR(export_with(dir, "width = 0.35\nresolutions = [160, 224]\n", kFixture, kArch, out), kFixture,
                   "'classifier.linear.weight' has shape [10, ", "needs [1000, ", "fix: configure the space");
  CHECK_USER_ERROR(export_with(dir, "classes = 10\nresolutions = [160, 224]\n", kFixture, kArch, out), kFixture,
                   "has shape", "width 1.0", "fix:");
  CHECK_USER_ERROR(export_with(dir, kGreySpace, kFixture, "ks=3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-;"
                                                          "e=3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-;d=2,2,2,2,2;r=28",
                               out),
                   "'first_conv.conv.weight' has shape [8, 3, 3, 3]", "needs [8, 1, 3, 3]", "fix:");
  CHECK_USER_ERROR(export_with(dir, kFixtureSpace, dir / "no-such.pth", kArch, out),
                   "--checkpoint " + (dir / "no-such.pth") + ": no such file", "fix:");
  CHECK_USER_ERROR(export_with(dir, kFixtureSpace, dir.path().string(), kArch, out), "is a folder", "fix:");
  // r = 128 is not among the config's resolutions.
  std::string foreign = kArch;
  foreign.replace(foreign.find("'r': [160]"), 10, "'r': [128]");
  CHECK_USER_ERROR(export_with(dir, kFixtureSpace, kFixture, foreign, out), "--arch: ", "128", "resolutions");
  CHECK_USER_ERROR(export_with(dir, kFixtureSpace, kFixture, kArch, out, {"--seed", "3"}),
                   "--seed: the weights come from --checkpoint", "fix: drop --seed");
  CHECK_USER_ERROR(export_with(dir, kFixtureSpace, kFixture, kArch, out, {"--calibration-images", "0", "--recalibrate",
                                                                          "fashion-mnist"}),
                   "--calibration-images 0", "fix:");
  // Fashion-MNIST is served at 28 only (where it is installed; else the missing file is the error).
  CHECK_USER_ERROR(export_with(dir, kFixtureSpace, kFixture, kArch, out, {"--recalibrate", "fashion-mnist"}),
                   "--recalibrate fashion-mnist: ", "fix:");
  if (fs::exists(fs::path(nasctl::datasets::kFashionMnistDebianFolder) / "train-images-idx3-ubyte.gz"))
    CHECK_USER_ERROR(export_with(dir, kFixtureSpace, kFixture, kArch, out, {"--recalibrate", "fashion-mnist"}),
                     "resolution 160");
  CHECK_USER_ERROR(test::run_nasctl({"export", "-c", dir / "cfg.toml", "--arch", kArch, "-o", out, "--recalibrate",
                                     "fashion-mnist"}),
                   "--recalibrate: ", "fix: give --checkpoint FILE");
  CHECK_USER_ERROR(export_with(dir, kFixtureSpace, kFixture, kArch, dir / "m.tflite"),
                   "unknown model file extension '.tflite'", "fix: name the file *.onnx (ONNX) or *.pt");
  CHECK(files_in(dir) == std::vector<std::string>{"cfg.toml"});
}
