// The declarative search space: a super-network written entirely in TOML.
// Decision variables (scalars or vectors of one choice set) and a layer
// template over them: ops whose parameters are muParser expressions of the
// variables, named blocks that repeat a number of times given by an
// expression (a depth variable), optional ops and blocks (`when`), and
// residual rules. Lowering walks the template and appends layers with
// NetworkBuilder, as a C++ space's lower() does. docs/spaces.md has the
// schema; examples/spaces/ has a small CNN and a reproduction of
// ofa-mobilenetv3.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/size_extremes.hpp"

namespace nasctl::spaces::declarative {

struct Impl;  // declarative_impl.hpp: the loaded template; keeps muParser out of this header

class DeclarativeSpace : public SearchSpace, public LayerEnumerable, public SizeExtremes {
 public:
  explicit DeclarativeSpace(const PluginContext& context);
  // Loads the space file directly (tests, benchmarks). Throws ConfigError
  // "<file>:<line>: key '<key>': <what>; fix: <what to do>".
  explicit DeclarativeSpace(const std::string& path);
  ~DeclarativeSpace() override;

  // The one config key: file, resolved against the config file's folder.
  static std::vector<ConfigKey> config_keys();

  const std::vector<DecisionVariable>& variables() const override;
  NetworkSpec lower(const Architecture& arch) const override;
  // Every variable (or vector element) the lowering never reads, e.g. the
  // kernel of a block slot a depth leaves unused, set to its first choice.
  Architecture canonicalize(const Architecture& arch) const override;
  // One-hot per variable, all zeros for the ones the network does not read
  // (what ofa-mobilenetv3's encoding does for unused slots).
  std::vector<double> encode(const Architecture& arch) const override;

  // "name=label;vec=label,label,-,...": vectors comma-separated, '-' for
  // elements the network does not read. A reproduction of a C++ space with
  // the same variable names prints that space's canonical form.
  std::string to_string(const Architecture& arch) const override;
  Architecture parse(std::string_view text) const override;

  // LayerEnumerable and SizeExtremes come from one exact exploration of the
  // space (declarative_space.cpp says how and when it applies).
  std::vector<Layer> distinct_layers() const override;
  Architecture smallest() const override;
  Architecture largest() const override;
  std::string distinct_networks() const override;

  const std::string& file() const;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace nasctl::spaces::declarative
