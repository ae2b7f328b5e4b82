// torch.save checkpoints: what read_checkpoint and write_checkpoint agree
// on, what once-for-all's file holds, and every bad file a user can hand
// nasctl, each a one-line error naming the file and what to do.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/api/module.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "error_text.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "supernet_support.hpp"

using namespace nasctl;
using supernet::read_checkpoint;
using supernet::StateDict;
using supernet::SuperNetwork;
using supernet::write_checkpoint;

namespace {

std::string fixture_checkpoint() { return test::load_fixture(test::fixture_dir()).checkpoint(); }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Loads `state` into the fixture's space as if it came from a file.
std::string load_error(const StateDict& state, double width = 0.35, int64_t classes = 10) {
  const auto space = test::ofa_space(width, classes);
  SuperNetwork net(*space, 0);
  return test::error_of([&] { net.load(state, "bad.pth"); });
}

bool one_line(const std::string& message) { return message.find('\n') == std::string::npos; }

}  // namespace

TEST_CASE("a checkpoint nasctl writes reads back with every dtype, shape and value") {
  StateDict state;
  state.set("float", at::arange(6, at::kFloat).reshape({2, 3}));
  state.set("double_scalar", at::scalar_tensor(2.5, at::kDouble));
  state.set("long", at::tensor(std::vector<int64_t>{-3, 0, 7, int64_t{1} << 40}));
  state.set("bool", at::tensor(std::vector<int64_t>{1, 0, 1}).to(at::kBool));
  state.set("half", at::tensor({1.5, -2.0}).to(at::kHalf));
  state.set("transposed", at::arange(6, at::kFloat).reshape({2, 3}).t());
  state.set("empty", at::empty({0, 3}, at::kFloat));
  test::TempDir tmp("dtypes");
  write_checkpoint(state, tmp.file("all.pth"));
  const StateDict back = read_checkpoint(tmp.file("all.pth"));
  REQUIRE(back.names() == state.names());
  for (const std::string& name : state.names()) {
    CAPTURE(name);
    CHECK(std::string(c10::toString(back.at(name).scalar_type())) == c10::toString(state.at(name).scalar_type()));
    CHECK(back.at(name).sizes() == state.at(name).sizes());
    CHECK(at::equal(back.at(name), state.at(name)));
  }
}

TEST_CASE("once-for-all's torch.save file reads with its 475 state_dict entries and module names") {
  const StateDict state = read_checkpoint(fixture_checkpoint());
  CHECK(state.size() == 475);
  CHECK(state.at("blocks.1.conv.depth_conv.conv.7to5_matrix").sizes().vec() == std::vector<int64_t>{25, 25});
  CHECK(state.at("blocks.1.conv.depth_conv.conv.conv.weight").sizes().vec() == std::vector<int64_t>{48, 1, 7, 7});
  CHECK(state.at("classifier.linear.weight").sizes().vec() == std::vector<int64_t>{10, 448});
  CHECK(std::string(c10::toString(state.at("first_conv.bn.num_batches_tracked").scalar_type())) == "Long");
  CHECK(state.at("first_conv.bn.num_batches_tracked").dim() == 0);
}

TEST_CASE("a missing checkpoint file is one line naming the path") {
  const std::string message = test::error_of([] { read_checkpoint("/nonexistent/ofa.pth"); });
  CHECK(message.find("/nonexistent/ofa.pth: cannot open") == 0);
  CHECK(message.find("fix:") != std::string::npos);
  CHECK(one_line(message));
}

TEST_CASE("an empty file, random bytes and a plain pickle are not checkpoints") {
  test::TempDir tmp("garbage");
  write_bytes(tmp.file("empty.pth"), "");
  CHECK(test::error_of([&] { read_checkpoint(tmp.file("empty.pth")); }).find("is empty") != std::string::npos);
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 7919 + 13) % 251));
  write_bytes(tmp.file("noise.pth"), noise);
  const std::string message = test::error_of([&] { read_checkpoint(tmp.file("noise.pth")); });
  CHECK(message.find(tmp.file("noise.pth") + ": is not a PyTorch checkpoint") == 0);
  CHECK(message.find("fix:") != std::string::npos);
  write_bytes(tmp.file("pickle.pkl"), std::string("\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01.", 14));
  CHECK(test::error_of([&] { read_checkpoint(tmp.file("pickle.pkl")); }).find("plain Python pickle") != std::string::npos);
}

TEST_CASE("a truncated copy of a checkpoint is reported as cut short, not read") {
  test::TempDir tmp("truncated");
  const std::string bytes = read_bytes(fixture_checkpoint());
  for (std::size_t keep : {bytes.size() / 2, bytes.size() - 100, std::size_t{100}}) {
    CAPTURE(keep);
    write_bytes(tmp.file("cut.pth"), bytes.substr(0, keep));
    const std::string message = test::error_of([&] { read_checkpoint(tmp.file("cut.pth")); });
    CHECK(message.find(tmp.file("cut.pth") + ": ") == 0);
    CHECK(message.find("cut short or damaged") != std::string::npos);
    CHECK(message.find("fix: copy or download the checkpoint again") != std::string::npos);
    CHECK(one_line(message));
  }
}

TEST_CASE("a checkpoint in PyTorch's legacy format names the one-line conversion to the zip format") {
  const std::string legacy = test::fixture_dir() + "/legacy_format.pth";
  const std::string message = test::error_of([&] { read_checkpoint(legacy); });
  CHECK(message.find(legacy + ": is in PyTorch's legacy serialisation") == 0);
  CHECK(message.find("python3 -c \"import torch; torch.save(torch.load('" + legacy + "', map_location='cpu'), '" +
                     legacy + ".zip')\"") != std::string::npos);
  CHECK(one_line(message));
}

TEST_CASE("a TorchScript module and a zip without data.pkl are not torch.save checkpoints") {
  test::TempDir tmp("zips");
  torch::jit::Module module("m");
  module.register_parameter("w", at::ones({2}), false);
  module.save(tmp.file("script.pt"));
  CHECK(test::error_of([&] { read_checkpoint(tmp.file("script.pt")); }).find("is a TorchScript module") !=
        std::string::npos);
  {
    caffe2::serialize::PyTorchStreamWriter writer(tmp.file("other.zip"));
    writer.writeRecord("notes.txt", "hello", 5);
    writer.writeEndOfFile();
  }
  CHECK(test::error_of([&] { read_checkpoint(tmp.file("other.zip")); }).find("has no data.pkl") != std::string::npos);
}

TEST_CASE("a checkpoint with a key removed names the missing key") {
  StateDict state = read_checkpoint(fixture_checkpoint());
  REQUIRE(state.erase("blocks.5.conv.depth_conv.bn.bn.running_var"));
  test::TempDir tmp("missing");
  write_checkpoint(state, tmp.file("missing.pth"));
  const auto space = test::ofa_space(0.35, 10);
  const std::string message =
      test::error_of([&] { SuperNetwork::from_checkpoint(*space, tmp.file("missing.pth")); });
  CHECK(message.find(tmp.file("missing.pth") + ": lacks 1 tensor of the ofa-mobilenetv3 super-network (width 0.35, "
                                               "10 classes): 'blocks.5.conv.depth_conv.bn.bn.running_var'") == 0);
  CHECK(message.find("fix:") != std::string::npos);
}

TEST_CASE("a checkpoint for another number of classes names the classifier key and both shapes") {
  const std::string message = load_error(read_checkpoint(fixture_checkpoint()), 0.35, 1000);
  CHECK(message.find("bad.pth: 'classifier.linear.weight' has shape [10, 448], but the ofa-mobilenetv3 "
                     "super-network (width 0.35, 1000 classes) needs [1000, 448]") == 0);
  CHECK(message.find("number of classes") != std::string::npos);
}

TEST_CASE("a checkpoint of another width names the first key whose shape differs") {
  const std::string message = load_error(read_checkpoint(fixture_checkpoint()), 0.5, 10);
  CHECK(message.find("bad.pth: '") == 0);
  CHECK(message.find("has shape") != std::string::npos);
  CHECK(message.find("(width 0.5, 10 classes)") != std::string::npos);
  CHECK(message.find("fix: configure the space as the checkpoint was trained (width") != std::string::npos);
}

TEST_CASE("a checkpoint of another network names tensors the super-network does not have") {
  StateDict other;
  other.set("conv1.weight", at::zeros({64, 3, 7, 7}));
  other.set("fc.weight", at::zeros({1000, 2048}));
  const std::string none = load_error(other);
  CHECK(none.find("bad.pth: holds none of the tensors of the ofa-mobilenetv3 super-network") == 0);
  CHECK(none.find("'conv1.weight'") != std::string::npos);

  StateDict extra = read_checkpoint(fixture_checkpoint());
  extra.set("blocks.21.conv.point_linear.conv.conv.weight", at::zeros({8, 8, 1, 1}));
  const std::string message = load_error(extra);
  CHECK(message.find("bad.pth: holds 1 tensor the ofa-mobilenetv3 super-network (width 0.35, 10 classes) does not "
                     "have: 'blocks.21.conv.point_linear.conv.conv.weight'") == 0);
}

TEST_CASE("a weight stored as integers is refused by name") {
  StateDict state = read_checkpoint(fixture_checkpoint());
  state.set("classifier.linear.bias", at::zeros({10}, at::kLong));
  CHECK(load_error(state).find("'classifier.linear.bias' holds Long values, not floating point") != std::string::npos);
}

TEST_CASE("a failed load leaves the super-network's weights as they were") {
  const auto space = test::ofa_space(0.35, 10);
  SuperNetwork net = SuperNetwork::from_checkpoint(*space, fixture_checkpoint());
  const at::Tensor before = net.state_dict().at("classifier.linear.weight").clone();
  StateDict bad = read_checkpoint(fixture_checkpoint());
  bad.set("classifier.linear.weight", at::zeros({10, 448}));
  bad.set("first_conv.conv.weight", at::zeros({1, 1, 1, 1}));  // wrong shape: the load fails
  CHECK_THROWS_AS(net.load(bad, "bad.pth"), Error);
  CHECK(at::equal(net.state_dict().at("classifier.linear.weight"), before));
}

TEST_CASE("older once-for-all module names, a DataParallel prefix and no batch counters load the same weights") {
  const StateDict original = read_checkpoint(fixture_checkpoint());
  StateDict renamed;
  for (const std::string& name : original.names()) {
    if (name.find("num_batches_tracked") != std::string::npos) continue;
    std::string old = name;
    // blocks.N.conv. -> blocks.N.mobile_inverted_conv., .bn.bn. -> .bn., .conv.conv.weight -> .conv.weight
    if (old.rfind("blocks.", 0) == 0) {
      const std::size_t dot = old.find('.', 7);
      if (old.compare(dot, 6, ".conv.") == 0) old = old.substr(0, dot) + ".mobile_inverted_conv." + old.substr(dot + 6);
    }
    for (auto [from, to] : {std::pair<std::string, std::string>{".bn.bn.", ".bn."}, {".conv.conv.weight", ".conv.weight"},
                            {"classifier.linear.", "classifier.linear.linear."}}) {
      const std::size_t at = old.find(from);
      if (at != std::string::npos) old.replace(at, from.size(), to);
    }
    renamed.set("module." + old, original.at(name));
  }
  const auto space = test::ofa_space(0.35, 10);
  SuperNetwork net(*space, 0);
  net.load(renamed, "old.pth");
  const StateDict loaded = net.state_dict();
  for (const std::string& name : loaded.names()) {
    CAPTURE(name);
    CHECK(at::equal(loaded.at(name), original.at(name)));
  }
}
