#include "nasctl/runtime/plugin_loader.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "nasctl/error.hpp"
#include "nasctl/runtime/did_you_mean.hpp"

namespace fs = std::filesystem;

namespace nasctl::runtime {

namespace {

using DescriptorFn = const PluginDescriptor&();
using CreateFn = Plugin*(const PluginContext&);

bool is_plugin_file_name(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.rfind("nasctl-", 0) == 0 && p.extension() == ".so" && name.rfind("nasctl-sdk", 0) != 0;
}

// Boost.DLL reports a failed load as an errno text ("Bad file descriptor");
// the dynamic loader's own words (missing dependency, wrong ELF class) are
// what a user can act on.
std::string load_failure_reason(const std::string& path, const std::string& fallback) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle) {
    ::dlclose(handle);
    return fallback;
  }
  const char* why = ::dlerror();
  return why ? why : fallback;
}

fs::path program_dir() { return fs::path(boost::dll::program_location().parent_path().string()); }

}  // namespace

std::string builtin_plugin_dir() {
  return (program_dir() / NASCTL_RELATIVE_PLUGIN_DIR).lexically_normal().string();
}

std::string data_dir() {
  const fs::path installed = (program_dir() / NASCTL_RELATIVE_DATA_DIR).lexically_normal();
  if (fs::exists(installed / "data")) return installed.string();
  return NASCTL_SOURCE_DATA_DIR;  // running from the build tree
}

std::vector<std::string> default_plugin_dirs() {
  std::vector<std::string> dirs{builtin_plugin_dir()};
  if (const char* env = std::getenv("NAS_PLUGIN_PATH")) {
    std::string all = env;
    std::size_t start = 0;
    while (start <= all.size()) {
      const std::size_t end = std::min(all.find(':', start), all.size());
      if (end > start) dirs.push_back(all.substr(start, end - start));
      start = end + 1;
    }
  }
  return dirs;
}

const LoadedPlugin& PluginRegistry::load_file(const std::string& path) {
  if (!fs::exists(path))
    throw PluginError(path + ": plugin file does not exist; fix: check the path in [plugins] paths or NAS_PLUGIN_PATH");
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code ec;
  library->load(path, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now, ec);
  if (ec) {
    const std::string why = load_failure_reason(path, ec.message());
    // A toolkit's ABI is its SOVERSION: a plugin built against another one
    // asks for a libnasctl-<toolkit>.so.N this nasctl does not have.
    if (why.find("libnasctl-") != std::string::npos)
      throw PluginError(path + ": needs a nasctl library this installation does not have (" + why +
                        "); fix: rebuild the plugin against this nasctl's SDK and toolkits");
    throw PluginError(path + ": not a loadable shared library (" + why +
                      "); fix: rebuild the plugin for this platform or remove the file");
  }
  if (!library->has("nasctl_plugin_abi_version") || !library->has("nasctl_plugin_descriptor") ||
      !library->has("nasctl_plugin_create"))
    throw PluginError(path + ": not a nasctl plugin (no nasctl_plugin_* symbols); fix: export it with NASCTL_EXPORT_* from nasctl/export.hpp, or remove it from the plugin folder");
  // Checked before any C++ type crosses the border.
  const int abi = library->get<const int>("nasctl_plugin_abi_version");
  if (abi != kSdkAbiVersion)
    throw PluginError(path + ": built for nasctl SDK ABI " + std::to_string(abi) + ", this nasctl has ABI " +
                      std::to_string(kSdkAbiVersion) + "; fix: rebuild the plugin against this nasctl's SDK");
  PluginDescriptor descriptor;
  try {
    descriptor = library->get_alias<DescriptorFn>("nasctl_plugin_descriptor")();
  } catch (const std::exception& e) {
    throw PluginError(path + ": its descriptor threw (" + e.what() + "); fix: correct the plugin's describe()");
  }
  for (const auto& other : plugins_) {
    if (other.descriptor.kind == descriptor.kind && other.descriptor.info.name == descriptor.info.name) {
      if (fs::equivalent(other.file, path)) return other;
      throw PluginError(path + ": a " + to_string(descriptor.kind) + " plugin named '" + descriptor.info.name +
                        "' is already loaded from " + other.file + "; fix: remove one of the two files from the plugin path");
    }
  }
  plugins_.push_back(LoadedPlugin{fs::absolute(path).lexically_normal().string(), std::move(descriptor), std::move(library)});
  return plugins_.back();
}

void PluginRegistry::scan(const std::vector<std::string>& dirs, bool strict_dirs) {
  for (const auto& dir : dirs) {
    if (fs::is_regular_file(dir)) {
      load_file(dir);
      continue;
    }
    if (!fs::is_directory(dir)) {
      if (strict_dirs)
        throw PluginError(dir + ": plugin folder does not exist; fix: correct [plugins] paths in the config");
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file() && is_plugin_file_name(entry.path())) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // deterministic load order
    for (const auto& f : files) load_file(f.string());
  }
}

const LoadedPlugin& PluginRegistry::find_for_run(PluginKind kind, const std::string& name,
                                                 const std::vector<std::string>& dirs) {
  for (const auto& p : plugins_) {
    if (p.descriptor.kind == kind && p.descriptor.info.name == name) return p;
  }
  const std::string file_name = std::string("nasctl-") + to_string(kind) + "-" + name + ".so";
  std::vector<fs::path> candidates;
  for (const auto& dir : dirs) {
    const fs::path candidate = fs::path(dir) / file_name;
    if (fs::is_regular_file(candidate)) candidates.push_back(candidate);
  }
  if (!candidates.empty()) {
    const LoadedPlugin& first = load_file(candidates.front().string());
    // The same file name in two folders is a clash a user must resolve.
    for (std::size_t i = 1; i < candidates.size(); ++i) {
      if (!fs::equivalent(candidates[i], candidates.front())) load_file(candidates[i].string());
    }
    if (first.descriptor.kind == kind && first.descriptor.info.name == name) return first;
  }
  if (!scanned_) {
    scan(dirs, false);
    scanned_ = true;
  }
  return find(kind, name);
}

const LoadedPlugin* PluginRegistry::find_any(const std::string& name) const {
  for (const auto& p : plugins_) {
    if (p.descriptor.info.name == name) return &p;
  }
  return nullptr;
}

const LoadedPlugin& PluginRegistry::find(PluginKind kind, const std::string& name) const {
  std::vector<std::string> names;
  for (const auto& p : plugins_) {
    if (p.descriptor.kind != kind) continue;
    if (p.descriptor.info.name == name) return p;
    names.push_back(p.descriptor.info.name);
  }
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw PluginError(std::string("no ") + to_string(kind) + " plugin named '" + name + "'" + did_you_mean(name, names) +
                    " (known: " + (known.empty() ? "none" : known) +
                    "); fix: run `nasctl plugins` to list them, or add the plugin's folder to [plugins] paths");
}

std::shared_ptr<Plugin> PluginRegistry::create(const LoadedPlugin& p, const PluginContext& context) const {
  Plugin* raw = nullptr;
  try {
    raw = p.library->get_alias<CreateFn>("nasctl_plugin_create")(context);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw PluginError(std::string(to_string(p.descriptor.kind)) + " plugin '" + p.descriptor.info.name + "' (" + p.file +
                      ") failed to start: " + e.what() + "; fix: check its config keys with `nasctl plugins show " +
                      p.descriptor.info.name + "`");
  }
  // The deleter owns a reference to the library: the object is destroyed
  // first, then the library may unload.
  auto library = p.library;
  return std::shared_ptr<Plugin>(raw, [library](Plugin* object) { delete object; });
}

void PluginRegistry::throw_wrong_type(const LoadedPlugin& p) {
  throw PluginError(p.file + ": plugin '" + p.descriptor.info.name + "' declares kind " + to_string(p.descriptor.kind) +
                    " but its object does not implement that interface; fix: derive the class from the matching SDK base");
}

}  // namespace nasctl::runtime
