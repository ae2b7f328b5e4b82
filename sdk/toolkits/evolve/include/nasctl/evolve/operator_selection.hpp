// Hardware-aware space generation (HURRICANE, Zhang et al. 2020, sec. 3.1):
// for one device, score every candidate operator at every searchable layer by
// representational capacity per unit of latency measured on that device, and
// keep the best few per layer. The result is written as an operators file
// (TOML) that the space loads through its `operators_file` key.
//
// Latency is taken on a network holding the operator alone at the layer's
// input shape, as HURRICANE's per-operator lookup tables are: per-op
// measurements are what a LUT-based model sums, and they avoid differencing
// two whole-network measurements whose noise is larger than a single
// operator's cost. Identical isolated networks (same shapes at several
// layers) are measured once.
//
// Capacity, which HURRICANE weighs against latency, is taken here as a
// compute proxy. The default is MACs, which makes the score the
// operator's achieved throughput on the device (MAC per ms): scale-free across
// layers, and exactly the device-specific signal (a DSP runs wide 1x1
// convolutions efficiently, a CPU pays for squeeze-excite and h-swish), while
// how big the network may be is left to the search's latency constraint.
// `log-macs` (log of MACs per ms) is offered for comparison: its score is
// dominated by latency alone, so it keeps the cheapest operators (measured on
// a CPU: expansion-1 blocks at every layer), a space with little capacity to
// trade; `params` ranks by parameters per ms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "nasctl/evolve/operator_space.hpp"

namespace nasctl::evolve {

inline constexpr const char* kOperatorsFileFormat = "nasctl-operators/1";

enum class Capacity { LogMacs, Macs, Params };

// "log-macs", "macs", "params"; throws ConfigError naming the choices.
Capacity parse_capacity(const std::string& text);
const char* to_string(Capacity capacity);

struct SelectionOptions {
  std::size_t top = 4;               // operators kept per layer
  Capacity capacity = Capacity::Macs;
  bool keep_identity = true;         // keep "skip" (not scored: no cost) where it is valid
};

struct OperatorScore {
  std::string op;
  int64_t macs = 0;
  int64_t params = 0;
  double capacity = 0.0;
  double latency = 0.0;
  double score = 0.0;  // capacity / latency
};

struct LayerSelection {
  LayerPosition position;
  std::vector<OperatorScore> ranked;  // every scored operator, best first (ties: pool order)
  std::vector<std::string> chosen;    // the top operators, then the identity when kept
};

// Device latency of an isolated operator network; `label` ("l3=ir_k3_e6_relu")
// names it in errors. Must be > 0 and finite.
using LatencyFn = std::function<double(const NetworkSpec& network, const std::string& label)>;

struct SelectionReport {
  std::vector<LayerSelection> layers;
  std::size_t measured = 0;  // distinct networks measured
  std::size_t scored = 0;    // operator-position pairs scored
};

// Throws EvaluationError when a latency is not a positive number.
SelectionReport select_operators(const OperatorSpace& space, const LatencyFn& latency, const SelectionOptions& options);

struct SelectionHeader {
  std::string space;            // OperatorSpace::operators_file_space()
  std::string hardware;         // instance name
  std::string hardware_plugin;  // plugin name
  std::string metric;           // full metric name, e.g. "cpu.latency_ms"
  std::string config;           // the config file it came from
  std::map<std::string, std::string> conditions;  // the provider's measurement conditions
};

// The operators file: header keys, then one [[layers]] table per position
// with its shapes, the chosen operators (best first) and their figures.
std::string selection_toml(const SelectionReport& report, const SelectionHeader& header, const SelectionOptions& options);

}  // namespace nasctl::evolve
