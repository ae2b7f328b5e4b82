#include "nasctl/plugin.hpp"

#include "nasctl/batch_measurable.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/layer_measurable.hpp"

namespace nasctl {

// Defined here, in the SDK library, so that every plugin shares one vtable
// and one type_info for Plugin: dynamic_cast across .so borders relies on it.
Plugin::~Plugin() = default;
LayerEnumerable::~LayerEnumerable() = default;
LayerMeasurable::~LayerMeasurable() = default;
BatchMeasurable::~BatchMeasurable() = default;

const char* to_string(PluginKind kind) {
  switch (kind) {
    case PluginKind::Space: return "space";
    case PluginKind::Search: return "search";
    case PluginKind::Hardware: return "hardware";
    case PluginKind::Accuracy: return "accuracy";
  }
  return "unknown";
}

}  // namespace nasctl
