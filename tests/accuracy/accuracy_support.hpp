// Shared by the test_accuracy cases: the OFA fixture checkpoint and space,
// image folders the suite writes for itself, the supernet source built from
// keys, candidates.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../../plugins/accuracy/supernet/supernet_source.hpp"
#include "dataset_files.hpp"
#include "nasctl/config.hpp"
#include "nasctl/error.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/search_space.hpp"
#include "ofa_mobilenetv3.hpp"

namespace nasctl::test {

using datasets::test::ScratchFolder;

inline std::string ofa_checkpoint() {
  return std::string(NASCTL_SOURCE_DIR) + "/tests/fixtures/ofa/ofa_mbv3_d234_e346_k357_w035_c10.pth";
}
// sha256sum of the committed fixture.
inline const char* kOfaCheckpointSha256 = "90b17787ba815600310dace2e334036491196da75e64398038d99bc7e2126fb4";

// A plugin's config as the core hands it over: every key with its default,
// then `given`; relative paths resolve against `base_dir`.
inline PluginConfig make_config(const std::vector<ConfigKey>& keys, const std::map<std::string, ConfigValue>& given,
                                const std::string& base_dir = "") {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const ConfigKey& key : keys) {
    if (!std::holds_alternative<std::monostate>(key.default_value)) entries[key.name] = {key.default_value, "default"};
  }
  for (const auto& [name, value] : given) entries[name] = {value, "test.toml:3:1"};
  return PluginConfig("accuracy", base_dir, "test.toml", std::move(entries));
}

// The OFA space configured as the fixture was trained (width 0.35, 10
// classes) unless told otherwise, at the resolutions given.
inline std::unique_ptr<spaces::ofa_mobilenetv3::OfaMobileNetV3> ofa_space(double width = 0.35, int64_t classes = 10,
                                                        std::vector<int64_t> resolutions = {128}) {
  const PluginConfig config = make_config(spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys(),
                                          {{"width", width}, {"classes", classes}, {"resolutions", resolutions}});
  return std::make_unique<spaces::ofa_mobilenetv3::OfaMobileNetV3>(PluginContext{config, "space", 42});
}

// `classes` class folders c0, c1, ... of `per_class` small patterned PNGs
// each (24 x 20 pixels, every image different).
inline void write_image_folder(const std::filesystem::path& root, int classes, int per_class) {
  for (int c = 0; c < classes; ++c) {
    const std::filesystem::path folder = root / ("c" + std::to_string(c));
    std::filesystem::create_directories(folder);
    for (int i = 0; i < per_class; ++i)
      datasets::test::write_png(folder / ("img" + std::to_string(i) + ".png"),
                                datasets::test::patterned_image(24, 20, c * 101 + i * 7));
  }
}

// Keys for the fixture's 10 classes x 4 images: 20 validation images, 8 of
// the other 20 for re-calibration in batches of 4, validation batches of 6
// (so the last batch is short).
inline std::map<std::string, ConfigValue> small_keys(const std::string& folder) {
  return {{"checkpoint", ofa_checkpoint()},   {"dataset", folder},
          {"validation_split", int64_t{20}},  {"calibration_images", int64_t{8}},
          {"calibration_batch", int64_t{4}},  {"batch_size", int64_t{6}}};
}

inline std::unique_ptr<accuracy::supernet::SupernetSource> make_source(const std::map<std::string, ConfigValue>& given,
                                                             const std::string& base_dir = "") {
  const PluginConfig config = make_config(accuracy::supernet::SupernetSource::config_keys(), given, base_dir);
  return std::make_unique<accuracy::supernet::SupernetSource>(PluginContext{config, "acc", 42});
}

// A candidate as the evaluator builds it.
struct CandidateHolder {
  CandidateHolder(const SearchSpace& space, const Architecture& a)
      : arch(space.canonicalize(a)), canonical(space.to_string(arch)), network(space.lower(arch)),
        candidate{space, arch, canonical, network} {}
  Architecture arch;
  std::string canonical;
  NetworkSpec network;
  Candidate candidate;
};

// The message of the nasctl::Error `call` throws, or "(no error)"; fails the
// case when the message is more than one line.
template <typename Call>
std::string error_of(Call&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace nasctl::test
