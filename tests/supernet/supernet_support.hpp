// Shared by the test_supernet cases: the OFA space as a test configures it,
// the committed fixture (tests/fixtures/ofa), temporary files.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"

namespace nasctl::test {

// Every resolution OFA trains: 128..224 in steps of 4.
inline std::vector<int64_t> all_ofa_resolutions() {
  std::vector<int64_t> out;
  for (int64_t r = 128; r <= 224; r += 4) out.push_back(r);
  return out;
}

inline std::unique_ptr<spaces::ofa_mobilenetv3::OfaMobileNetV3> ofa_space(double width, int64_t classes) {
  return make_plugin<spaces::ofa_mobilenetv3::OfaMobileNetV3>(
      {{"width", width}, {"classes", classes}, {"resolutions", all_ofa_resolutions()}});
}

inline std::string fixture_dir() { return std::string(NASCTL_SOURCE_DIR) + "/tests/fixtures/ofa"; }

// A fixture folder made by make_fixture.py: expected.json, the input, the checkpoint.
struct OfaFixture {
  std::string dir;
  nlohmann::json expected;
  at::Tensor images;  // [samples, 3, 224, 224], float

  std::string checkpoint() const { return dir + "/" + expected.at("checkpoint").get<std::string>(); }
  double width() const { return expected.at("width").get<double>(); }
  int64_t classes() const { return expected.at("classes").get<int64_t>(); }
};

inline OfaFixture load_fixture(const std::string& dir) {
  OfaFixture f;
  f.dir = dir;
  std::ifstream json(dir + "/expected.json");
  f.expected = nlohmann::json::parse(json);
  const nlohmann::json& input = f.expected.at("input");
  const std::vector<int64_t> shape = input.at("shape").get<std::vector<int64_t>>();
  std::ifstream raw(dir + "/" + input.at("file").get<std::string>(), std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(raw)), std::istreambuf_iterator<char>());
  at::Tensor pixels = at::empty(shape, at::kChar);
  if (static_cast<int64_t>(bytes.size()) != pixels.numel()) throw std::runtime_error("fixture input has the wrong size");
  std::memcpy(pixels.data_ptr(), bytes.data(), bytes.size());
  f.images = pixels.to(at::kFloat) * input.at("scale").get<double>();
  return f;
}

// The top-left r x r of every image, as make_fixture.py feeds a sub-network.
inline at::Tensor crop(const at::Tensor& images, int64_t r) {
  return images.narrow(2, 0, r).narrow(3, 0, r).contiguous();
}

inline at::Tensor logits_of(const nlohmann::json& rows) {
  const auto values = rows.get<std::vector<std::vector<double>>>();
  at::Tensor out = at::empty({static_cast<int64_t>(values.size()), static_cast<int64_t>(values[0].size())}, at::kFloat);
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = 0; j < values[i].size(); ++j) out[i][j] = values[i][j];
  }
  return out;
}

inline double max_abs_difference(const at::Tensor& a, const at::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

// A fresh folder under the system's temporary directory, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    // CTest runs cases as processes side by side: the pid keeps them apart.
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("nasctl-supernet-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace nasctl::test
