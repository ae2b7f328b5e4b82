// Helpers shared by the predict suite: scratch folders with CSV fixtures, a
// plugin config built like core builds one (declared defaults filled in,
// overrides on top), and a candidate for a space.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::test {

// doctest::Contains for messages assembled from std::strings (paths).
inline doctest::Contains contains(const std::string& text) { return doctest::Contains(text.c_str()); }

// A fresh folder under the system temp folder, removed with the object.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ =
        std::filesystem::temp_directory_path() / ("nasctl-test-predict-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Writes `text` to <dir>/<name> and returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// What core hands a plugin: every declared key present, defaults filled in.
inline PluginConfig make_config(const std::vector<ConfigKey>& keys, const std::map<std::string, ConfigValue>& given,
                                const std::string& base_dir = "") {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& key : keys) entries[key.name] = {key.default_value, "default"};
  for (const auto& [name, value] : given) entries[name] = {value, "test.toml:1:1"};
  return PluginConfig("accuracy[0]", base_dir, "test.toml", entries);
}

// A candidate with the fields the run loop fills in; owns what it refers to.
struct CandidateHolder {
  CandidateHolder(const SearchSpace& s, const Architecture& a)
      : arch(s.canonicalize(a)),
        canonical(s.to_string(arch)),
        network(s.lower(arch)),
        candidate{s, arch, canonical, network} {}
  Architecture arch;
  std::string canonical;
  NetworkSpec network;
  Candidate candidate;
};

}  // namespace nasctl::test
