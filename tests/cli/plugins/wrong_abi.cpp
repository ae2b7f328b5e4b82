// A plugin built for another SDK ABI: it exports the three nasctl symbols,
// but its ABI number is not this nasctl's. The loader must refuse it after
// reading the plain int and before calling anything else in it.
#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "nasctl/plugin.hpp"

extern "C" BOOST_SYMBOL_EXPORT const int nasctl_plugin_abi_version;
const int nasctl_plugin_abi_version = 999;

namespace nasctl_wrong_abi {

const nasctl::PluginDescriptor& descriptor() {
  static const nasctl::PluginDescriptor d{999, nasctl::PluginKind::Search, {"wrongabi", "9.9.9", "Built for SDK ABI 999", {}}};
  return d;
}

nasctl::Plugin* create(const nasctl::PluginContext&) { return nullptr; }

}  // namespace nasctl_wrong_abi

BOOST_DLL_ALIAS(nasctl_wrong_abi::descriptor, nasctl_plugin_descriptor)
BOOST_DLL_ALIAS(nasctl_wrong_abi::create, nasctl_plugin_create)
