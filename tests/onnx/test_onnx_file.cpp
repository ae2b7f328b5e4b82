// export_model(): the bytes of to_onnx_model() (or a TorchScript archive that
// loads back and computes the same function), written whole or not at all.
#include "onnx_test_support.hpp"

#include <torch/csrc/jit/serialization/import.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "nasctl/error.hpp"
#include "nasctl/onnx/onnx_model.hpp"
#include "nasctl/torch/eager_network.hpp"

using namespace nasctl;
using namespace nasctl::model_export;
namespace fs = std::filesystem;

namespace {

class Scratch {
 public:
  Scratch() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("nasctl-test-onnx-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename().string());
    return names;
  }

 private:
  fs::path path_;
};

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string error_of(const NetworkSpec& spec, const ExportOptions& o, const std::string& path) {
  try {
    export_model(spec, o, path);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("an exported .onnx file parses back into the model to_onnx_model builds") {
  Scratch dir;
  const NetworkSpec spec = test::odd_channels();
  ExportOptions o;
  o.batch = 2;
  o.seed = 3;
  export_model(spec, o, dir / "m.onnx");
  ::onnx::ModelProto parsed;
  REQUIRE(parsed.ParseFromString(read(dir / "m.onnx")));
  CHECK(parsed.SerializeAsString() == to_onnx_model(spec, o).SerializeAsString());
  CHECK(dir.files() == std::vector<std::string>{"m.onnx"});  // no temporary left behind
  CHECK(model_bytes(spec, o) == read(dir / "m.onnx"));
}

TEST_CASE("a TorchScript export loads back with torch::jit::load and computes the eager network's output") {
  Scratch dir;
  const NetworkSpec spec = test::shufflenet_like();
  ExportOptions o;
  o.format = ModelFormat::TorchScript;
  o.seed = 4;
  export_model(spec, o, dir / "m.pt");
  CHECK(read(dir / "m.pt").substr(0, 2) == "PK");
  torch::jit::Module loaded = torch::jit::load(dir / "m.pt");
  const at::Tensor x = libtorch::random_input(spec, 3, 1);  // any batch
  const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, 4);
  CHECK(at::allclose(loaded.forward({x}).toTensor(), eager->forward(x), 1e-5, 1e-6));
}

TEST_CASE("an existing file is replaced whole") {
  Scratch dir;
  const NetworkSpec spec = test::grouped_net();
  { std::ofstream(dir / "m.onnx") << std::string(1 << 20, 'x'); }
  export_model(spec, ExportOptions{}, dir / "m.onnx");
  CHECK(read(dir / "m.onnx") == model_bytes(spec, ExportOptions{}));
}

TEST_CASE("a missing folder, a folder as the path and batch 0 are one-line errors that write nothing") {
  Scratch dir;
  const NetworkSpec spec = test::grouped_net();
  const std::string missing = error_of(spec, ExportOptions{}, dir / "no/such/m.onnx");
  CHECK(missing.find("does not exist; fix: create it") != std::string::npos);
  fs::create_directories(dir / "folder.onnx");
  CHECK(error_of(spec, ExportOptions{}, dir / "folder.onnx").find("is a folder; fix:") != std::string::npos);
  ExportOptions zero;
  zero.batch = 0;
  CHECK(error_of(spec, zero, dir / "m.onnx").find("batch 0 is not a batch size; fix: use 1 or more") != std::string::npos);
  for (const std::string& message : {missing}) CHECK(message.find('\n') == std::string::npos);
  CHECK(dir.files() == std::vector<std::string>{"folder.onnx"});
}

TEST_CASE("a read-only folder is an error naming the permission problem, and leaves nothing") {
  if (::geteuid() == 0) {
    MESSAGE("running as root: permissions do not stop writes, nothing to check");
    return;
  }
  Scratch dir;
  fs::create_directories(dir / "ro");
  fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  const std::string message = error_of(test::grouped_net(), ExportOptions{}, dir / "ro/m.onnx");
  fs::permissions(dir / "ro", fs::perms::owner_all);
  CHECK(message.find("cannot create a file in") != std::string::npos);
  CHECK(message.find("Permission denied") != std::string::npos);
  CHECK(fs::is_empty(dir / "ro"));
}
