// Helpers of the test_hardware suite: scratch folders, plugin configs built
// the way core builds them (declared defaults, then the test's values), and
// candidates for a space.
#pragma once

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::test {

inline doctest::Contains contains(const std::string& text) { return doctest::Contains(text.c_str()); }

// A fresh folder under the system temp folder, removed with the object.
class HwScratch {
 public:
  HwScratch() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("nasctl-test-hw-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~HwScratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  HwScratch(const HwScratch&) = delete;
  HwScratch& operator=(const HwScratch&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  // Writes an executable script.
  std::string script(const std::string& name, const std::string& body) const {
    const std::string file = write(name, "#!/bin/bash\n" + body);
    ::chmod(file.c_str(), 0755);
    return file;
  }
  std::string path() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline PluginConfig hw_config(const std::vector<ConfigKey>& keys, const std::map<std::string, ConfigValue>& given,
                              const std::string& base_dir = "") {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& key : keys) {
    if (!std::holds_alternative<std::monostate>(key.default_value)) entries[key.name] = {key.default_value, "default"};
  }
  for (const auto& [name, value] : given) entries[name] = {value, "test.toml:3:1"};
  return PluginConfig("hardware[0]", base_dir, "test.toml", entries);
}

// A candidate with the fields the run loop fills in; owns what it refers to.
struct HwCandidate {
  HwCandidate(const SearchSpace& s, const Architecture& a)
      : arch(s.canonicalize(a)), canonical(s.to_string(arch)), network(s.lower(arch)), candidate{s, arch, canonical, network} {}
  Architecture arch;
  std::string canonical;
  NetworkSpec network;
  Candidate candidate;
};

}  // namespace nasctl::test
