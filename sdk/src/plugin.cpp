#include "nasctl/plugin.hpp"

#include "nasctl/batch_measurable.hpp"
#include "nasctl/error.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/layer_measurable.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/size_extremes.hpp"
#include "nasctl/subspace.hpp"

namespace nasctl {

// Defined here, in the SDK library, so that every plugin shares one vtable
// and one type_info for Plugin: dynamic_cast across .so borders relies on it.
Plugin::~Plugin() = default;
LayerEnumerable::~LayerEnumerable() = default;
LayerMeasurable::~LayerMeasurable() = default;
BatchMeasurable::~BatchMeasurable() = default;
StagedSearch::~StagedSearch() = default;
SubspaceAware::~SubspaceAware() = default;
SizeExtremes::~SizeExtremes() = default;

const char* to_string(PluginKind kind) {
  switch (kind) {
    case PluginKind::Space: return "space";
    case PluginKind::Search: return "search";
    case PluginKind::Hardware: return "hardware";
    case PluginKind::Accuracy: return "accuracy";
  }
  return "unknown";
}

void check_prepared(const SearchSpace* prepared, const SearchSpace& space, const std::string& who) {
  if (prepared == &space) return;
  if (!prepared)
    throw EvaluationError(who + ": asked for metrics before prepare(space); fix: the caller must call prepare() "
                          "once with the search space before the first candidate (nasctl's run loop does)");
  throw EvaluationError(who + ": called with a different search space than the one it was prepared for; fix: use "
                        "one provider instance per search space");
}

}  // namespace nasctl
