#include "nasctl/runtime/run_dir.hpp"

#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "nasctl/error.hpp"
#include "nasctl/runtime/run_loop.hpp"

namespace nasctl::runtime {

namespace {

constexpr const char* kBaseDirTag = "# nasctl base_dir: ";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read; fix: give a run folder written by `nasctl search`");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The parts of a config that define the search (all but budget and out).
std::string search_defining_text(const std::string& toml_text, const std::string& name) {
  toml::table t;
  try {
    t = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(name + ": invalid TOML (" + std::string(e.description()) + ")");
  }
  t.erase("budget");
  t.erase("out");
  std::ostringstream s;
  s << toml::toml_formatter(t);
  return s.str();
}

}  // namespace

std::string config_file_text(const RunConfig& config) {
  return std::string(kBaseDirTag) + config.base_dir + "\n# The resolved config of this run (" + config.file +
         " with overrides). `nasctl search --resume <this folder>` reads it.\n" + config.resolved_toml;
}

RunConfig load_run_config(const std::string& run_dir, const std::vector<std::string>& overrides) {
  const std::string path = run_config_path(run_dir);
  const std::string text = read_text(path);
  std::string base_dir = run_dir;
  if (text.rfind(kBaseDirTag, 0) == 0) {
    const std::size_t start = std::string(kBaseDirTag).size();
    base_dir = text.substr(start, text.find('\n') - start);
  }
  return load_config_text(text, path, base_dir, overrides);
}

void check_resume_config(const std::string& run_dir, const RunConfig& config) {
  const std::string path = run_config_path(run_dir);
  const std::string theirs = search_defining_text(read_text(path), path);
  const std::string ours = search_defining_text(config.resolved_toml, config.file);
  if (theirs == ours) return;
  std::istringstream a(theirs), b(ours);
  std::string la, lb;
  std::size_t line = 0;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    ++line;
    if (!more_a && !more_b) break;
    if (la != lb || more_a != more_b)
      throw ConfigError(config.file + ": differs from the config of run " + run_dir + " (run has '" + (more_a ? la : "") +
                        "', this config has '" + (more_b ? lb : "") + "'); fix: resume with `nasctl search --resume " + run_dir +
                        "` and no -c, or start a new run with -o");
  }
}

}  // namespace nasctl::runtime
