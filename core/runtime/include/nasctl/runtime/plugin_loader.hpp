// The plugin loader: the only code in nasctl that touches Boost.DLL.
//
// Search order: the built-in plugin folder (next to the nasctl binary), then
// each folder of NAS_PLUGIN_PATH (':'-separated), then the config's
// [plugins] paths. A plugin is any file named nasctl-*.so in those folders, or
// a .so named explicitly. Each library stays loaded while any object created
// from it lives: objects hold a reference to their library.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/plugin.hpp"

namespace boost::dll {
class shared_library;
}

namespace nasctl::runtime {

struct LoadedPlugin {
  std::string file;
  PluginDescriptor descriptor;
  std::shared_ptr<boost::dll::shared_library> library;
};

class PluginRegistry {
 public:
  // Scans the folders in order. A folder that does not exist is skipped for
  // the built-in/environment entries and an error for config paths
  // (`strict_dirs`). Throws PluginError for a broken plugin file or for two
  // plugins of one kind with one name.
  void scan(const std::vector<std::string>& dirs, bool strict_dirs);
  // Finds a plugin for a run without loading every plugin file: the file
  // named by convention (nasctl-<kind>-<name>.so) in the first folder that
  // has one, else a full scan of `dirs` then find(). Loading only what a run
  // uses keeps start-up fast (LibTorch plugins take ~0.5 s to load) and a
  // broken unrelated plugin cannot stop a run; `nasctl plugins` still scans
  // everything and reports every clash.
  const LoadedPlugin& find_for_run(PluginKind kind, const std::string& name, const std::vector<std::string>& dirs);
  // Loads one file; throws PluginError naming the file and the fix.
  const LoadedPlugin& load_file(const std::string& path);

  // Stable addresses: LoadedPlugin pointers handed out stay valid.
  const std::deque<LoadedPlugin>& plugins() const { return plugins_; }
  // Finds a plugin by kind and name; throws PluginError with a did-you-mean.
  const LoadedPlugin& find(PluginKind kind, const std::string& name) const;
  const LoadedPlugin* find_any(const std::string& name) const;

  // Constructs an object of plugin `p`; the returned pointer keeps p's
  // library loaded. A throwing factory becomes a PluginError naming the plugin
  // (nasctl::Error subclasses pass through unchanged: they are user-facing).
  std::shared_ptr<Plugin> create(const LoadedPlugin& p, const PluginContext& context) const;

  template <typename T>
  std::shared_ptr<T> create_as(const LoadedPlugin& p, const PluginContext& context) const {
    auto object = create(p, context);
    auto typed = std::dynamic_pointer_cast<T>(object);
    if (!typed) throw_wrong_type(p);
    return typed;
  }

 private:
  [[noreturn]] static void throw_wrong_type(const LoadedPlugin& p);
  std::deque<LoadedPlugin> plugins_;
  bool scanned_ = false;  // find_for_run fell back to a full scan
};

// Folders searched before the config's own: built-in folder, NAS_PLUGIN_PATH.
std::vector<std::string> default_plugin_dirs();
// The folder holding this program's plugins (<prefix>/lib/nasctl/plugins).
std::string builtin_plugin_dir();
// The folder holding nasctl's shared data (<prefix>/share/nasctl).
std::string data_dir();

}  // namespace nasctl::runtime
