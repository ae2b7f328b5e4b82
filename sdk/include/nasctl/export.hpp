// One macro per plugin exports it through Boost.DLL. A class that declares
// its keys in a static config_keys() names itself, its version and what it
// does:
//
//   NASCTL_HARDWARE_PLUGIN(AnalyticModel, "analytic", "1.0.0", "MACs and params")
//
// (likewise NASCTL_SPACE_PLUGIN, NASCTL_SEARCH_PLUGIN, NASCTL_ACCURACY_PLUGIN);
// otherwise a describe() function returns the whole PluginInfo:
//
//   nasctl::PluginInfo describe() { return {"analytic", "1.0.0", "MACs and params", {}}; }
//   NASCTL_EXPORT_HARDWARE(AnalyticModel, describe)
//
// The class must be constructible from `const nasctl::PluginContext&`.
// Three symbols are exported: a plain int with the SDK ABI version (read
// first, so a mismatched plugin is rejected before any C++ type crosses the
// border), the descriptor, and the factory.
#pragma once

#include <type_traits>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "nasctl/metric_provider.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/search_strategy.hpp"

#define NASCTL_EXPORT_PLUGIN_(KIND, BASE, CLASS, DESCRIBE)                                   \
  static_assert(std::is_base_of_v<BASE, CLASS>, #CLASS " must derive from " #BASE);          \
  static_assert(std::is_constructible_v<CLASS, const ::nasctl::PluginContext&>,              \
                #CLASS " needs a constructor taking const nasctl::PluginContext&");         \
  extern "C" BOOST_SYMBOL_EXPORT const int nasctl_plugin_abi_version;                       \
  const int nasctl_plugin_abi_version = ::nasctl::kSdkAbiVersion;                            \
  namespace nasctl_export_ {                                                                 \
  const ::nasctl::PluginDescriptor& descriptor() {                                           \
    static const ::nasctl::PluginDescriptor d{::nasctl::kSdkAbiVersion, KIND, DESCRIBE()};   \
    return d;                                                                                \
  }                                                                                          \
  ::nasctl::Plugin* create(const ::nasctl::PluginContext& context) {                         \
    return new CLASS(context);                                                               \
  }                                                                                          \
  }                                                                                          \
  BOOST_DLL_ALIAS(nasctl_export_::descriptor, nasctl_plugin_descriptor)                      \
  BOOST_DLL_ALIAS(nasctl_export_::create, nasctl_plugin_create)

#define NASCTL_EXPORT_SPACE(CLASS, DESCRIBE) \
  NASCTL_EXPORT_PLUGIN_(::nasctl::PluginKind::Space, ::nasctl::SearchSpace, CLASS, DESCRIBE)
#define NASCTL_EXPORT_SEARCH(CLASS, DESCRIBE) \
  NASCTL_EXPORT_PLUGIN_(::nasctl::PluginKind::Search, ::nasctl::SearchStrategy, CLASS, DESCRIBE)
#define NASCTL_EXPORT_HARDWARE(CLASS, DESCRIBE) \
  NASCTL_EXPORT_PLUGIN_(::nasctl::PluginKind::Hardware, ::nasctl::MetricProvider, CLASS, DESCRIBE)
#define NASCTL_EXPORT_ACCURACY(CLASS, DESCRIBE) \
  NASCTL_EXPORT_PLUGIN_(::nasctl::PluginKind::Accuracy, ::nasctl::MetricProvider, CLASS, DESCRIBE)

// The descriptor from the class's static config_keys().
#define NASCTL_DESCRIBED_PLUGIN_(EXPORT, CLASS, NAME, VERSION, DESCRIPTION)                  \
  namespace nasctl_describe_ {                                                               \
  ::nasctl::PluginInfo describe() { return {NAME, VERSION, DESCRIPTION, CLASS::config_keys()}; } \
  }                                                                                          \
  EXPORT(CLASS, nasctl_describe_::describe)

#define NASCTL_SPACE_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION) \
  NASCTL_DESCRIBED_PLUGIN_(NASCTL_EXPORT_SPACE, CLASS, NAME, VERSION, DESCRIPTION)
#define NASCTL_SEARCH_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION) \
  NASCTL_DESCRIBED_PLUGIN_(NASCTL_EXPORT_SEARCH, CLASS, NAME, VERSION, DESCRIPTION)
#define NASCTL_HARDWARE_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION) \
  NASCTL_DESCRIBED_PLUGIN_(NASCTL_EXPORT_HARDWARE, CLASS, NAME, VERSION, DESCRIPTION)
#define NASCTL_ACCURACY_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION) \
  NASCTL_DESCRIBED_PLUGIN_(NASCTL_EXPORT_ACCURACY, CLASS, NAME, VERSION, DESCRIPTION)
