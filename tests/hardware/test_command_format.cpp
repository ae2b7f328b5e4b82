// The command plugin's `format` key: {model} is an ONNX file by default where
// nasctl was built with ONNX (the extension follows the format), TorchScript
// on request, and "onnx" in a build without ONNX is a one-line config error
// naming the key and the fix.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "command_model.hpp"
#include "hw_test_support.hpp"
#include "nasctl/error.hpp"
#include "nasctl/onnx/model_file.hpp"

using namespace nasctl;
using nasctl::hardware::command::CommandModel;

namespace {

NetworkSpec small_net() {
  NetworkBuilder b("small", {3, 16, 16});
  b.conv(8, 3, 2, 1, true, ActivationKind::HardSwish);
  b.squeeze_excite(8);
  b.global_avg_pool();
  b.linear(4, true);
  return std::move(b).finish();
}

std::unique_ptr<CommandModel> make(const test::HwScratch& dir, std::map<std::string, ConfigValue> given) {
  const PluginConfig config = test::hw_config(CommandModel::config_keys(), given, dir.path());
  return std::make_unique<CommandModel>(PluginContext{config, "phone", 42});
}

std::string config_error(const test::HwScratch& dir, std::map<std::string, ConfigValue> given) {
  try {
    make(dir, std::move(given));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string default_of(const std::vector<ConfigKey>& keys, const std::string& name) {
  for (const auto& key : keys) {
    if (key.name == name) return std::get<std::string>(key.default_value);
  }
  return "(no key '" + name + "')";
}

using Strings = std::vector<std::string>;

// A stand-in device tool that accepts only ONNX: the path must end in .onnx
// and the file must start like an ONNX ModelProto (field 1, ir_version, as a
// varint: bytes 08 07). It keeps a copy for the test to look at.
const char* kOnnxBench =
    "case \"$1\" in *.onnx) ;; *) echo \"not an .onnx path: $1\" >&2; exit 4 ;; esac\n"
    "head=$(head -c 2 \"$1\" | od -An -tx1 | tr -d ' \\n')\n"
    "if [ \"$head\" != 0807 ]; then echo \"not an ONNX protobuf: starts with $head\" >&2; exit 5; fi\n"
    "cp \"$1\" \"$(dirname \"$0\")/model-copy.onnx\"\n"
    "echo 'latency: 3.5 ms'\n";

}  // namespace

TEST_CASE("format defaults to onnx where nasctl was built with ONNX, and asking onnx of a build without is a key error") {
  test::HwScratch dir;
  const std::string bench = dir.script("onnx-bench.sh", kOnnxBench);
  const std::map<std::string, ConfigValue> base{{"command", Strings{bench, "{model}"}},
                                                {"regex", std::string("latency: ([0-9.]+) ms")},
                                                {"retries", int64_t{0}}};
  if (model_export::onnx_available()) {
    CHECK(default_of(CommandModel::config_keys(), "format") == "auto");
    auto model = make(dir, base);
    CHECK(model->conditions().at("model_format").find("ONNX") == 0);
    CHECK(model->measure(small_net(), "ks=3;e=4") == doctest::Approx(3.5));
    const std::string onnx = read(dir / "model-copy.onnx");
    CHECK(onnx.size() > 1000);
    CHECK(onnx.find("nasctl") != std::string::npos);    // producer_name
    CHECK(onnx.find("ks=3;e=4") != std::string::npos);  // the architecture, in metadata_props
  } else {
    MESSAGE("nasctl built without ONNX: checking the error instead of an exported file");
    CHECK(default_of(CommandModel::config_keys(), "format") == "auto");
    CHECK(make(dir, base)->conditions().at("model_format").find("TorchScript archive") == 0);
    auto with_onnx = base;
    with_onnx["format"] = std::string("onnx");
    const std::string message = config_error(dir, with_onnx);
    CHECK(message.find("key 'hardware[0].format'") != std::string::npos);
    CHECK(message.find("needs a nasctl built with ONNX") != std::string::npos);
    CHECK(message.find("fix: install libonnx-dev and rebuild nasctl, or set format = \"torchscript\"") !=
          std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("format = \"torchscript\" hands the command a .pt TorchScript archive, which an ONNX-only tool refuses") {
  test::HwScratch dir;
  const std::string bench = dir.script("onnx-bench.sh", kOnnxBench);
  auto model = make(dir, {{"command", Strings{bench, "{model}"}},
                          {"regex", std::string("latency: ([0-9.]+) ms")},
                          {"format", std::string("torchscript")},
                          {"retries", int64_t{0}}});
  std::string message;
  try {
    model->measure(small_net(), "ks=3;e=4");
  } catch (const EvaluationError& e) {
    message = e.what();
  }
  CHECK(message.find("exit code 4") != std::string::npos);
  CHECK(message.find("not an .onnx path: ") != std::string::npos);
  CHECK(message.find("/model.pt") != std::string::npos);
}

TEST_CASE("run.json's conditions say which file format the device measured") {
  test::HwScratch dir;
  const std::map<std::string, ConfigValue> base{{"command", Strings{"bench", "{model}"}},
                                                {"regex", std::string("([0-9.]+)")},
                                                {"batch", int64_t{4}}};
  auto torchscript_config = base;
  torchscript_config["format"] = std::string("torchscript");
  CHECK(make(dir, torchscript_config)->conditions().at("model_format").find("TorchScript archive") == 0);
  if (!model_export::onnx_available()) return;
  auto onnx_config = base;
  onnx_config["format"] = std::string("onnx");
  const std::string onnx = make(dir, onnx_config)->conditions().at("model_format");
  CHECK(onnx.find("ONNX (opset 14), batch 4, BatchNorm folded into Conv") == 0);
}
