#include "nasctl/evolve/operator_selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <unordered_map>

#include "nasctl/error.hpp"
#include "nasctl/metrics.hpp"

namespace nasctl::evolve {

namespace {

std::string shape_text(const TensorShape& s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
}

// Everything that decides an isolated network's cost: its input and layer keys.
std::string signature(const NetworkSpec& n) {
  std::string s = shape_text(n.input);
  for (const Layer& l : n.layers) {
    s += ';' + l.key();
    for (int i : l.inputs) s += ',' + std::to_string(i);
  }
  return s;
}

double capacity_of(Capacity c, const NetworkCost& cost) {
  switch (c) {
    case Capacity::Macs: return static_cast<double>(cost.macs);
    case Capacity::Params: return static_cast<double>(cost.params);
    case Capacity::LogMacs: break;
  }
  return cost.macs > 1 ? std::log(static_cast<double>(cost.macs)) : 0.0;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

template <typename T, typename F>
std::string array(const std::vector<T>& items, F text) {
  std::string s = "[";
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + text(items[i]);
  return s + "]";
}

}  // namespace

Capacity parse_capacity(const std::string& text) {
  if (text == "log-macs") return Capacity::LogMacs;
  if (text == "macs") return Capacity::Macs;
  if (text == "params") return Capacity::Params;
  throw ConfigError("--capacity '" + text + "' is not a capacity proxy; fix: use log-macs, macs or params");
}

const char* to_string(Capacity capacity) {
  switch (capacity) {
    case Capacity::LogMacs: return "log-macs";
    case Capacity::Macs: return "macs";
    case Capacity::Params: return "params";
  }
  return "log-macs";
}

SelectionReport select_operators(const OperatorSpace& space, const LatencyFn& latency, const SelectionOptions& options) {
  SelectionReport report;
  std::unordered_map<std::string, double> measured;  // the device's lookup table, built as we go
  const std::vector<LayerPosition> positions = space.layer_positions();
  for (std::size_t p = 0; p < positions.size(); ++p) {
    LayerSelection layer;
    layer.position = positions[p];
    std::string identity;
    for (const std::string& op : space.pool_at(p)) {
      const NetworkSpec net = space.lower_operator(p, op);
      if (net.layers.empty()) {
        identity = op;  // no cost and no capacity: nothing to score
        continue;
      }
      const std::string label = layer.position.name + "=" + op;
      const std::string sig = signature(net);
      auto it = measured.find(sig);
      if (it == measured.end()) {
        const double ms = latency(net, label);
        if (!std::isfinite(ms) || ms <= 0.0)
          throw EvaluationError("space select: " + label + ": latency " + six_digits(ms) +
                                " is not a positive number; fix: pick a latency metric of the hardware (--metric)");
        it = measured.emplace(sig, ms).first;
      }
      const NetworkCost cost = count_cost(net);
      OperatorScore s;
      s.op = op;
      s.macs = cost.macs;
      s.params = cost.params;
      s.capacity = capacity_of(options.capacity, cost);
      s.latency = it->second;
      s.score = s.capacity / s.latency;
      layer.ranked.push_back(std::move(s));
      ++report.scored;
    }
    std::stable_sort(layer.ranked.begin(), layer.ranked.end(),
                     [](const OperatorScore& a, const OperatorScore& b) { return a.score > b.score; });
    for (std::size_t i = 0; i < layer.ranked.size() && i < options.top; ++i) layer.chosen.push_back(layer.ranked[i].op);
    if (options.keep_identity && !identity.empty()) layer.chosen.push_back(identity);
    report.layers.push_back(std::move(layer));
  }
  report.measured = measured.size();
  return report;
}

std::string selection_toml(const SelectionReport& report, const SelectionHeader& header, const SelectionOptions& options) {
  std::ostringstream out;
  out << "# Device-specific operator space written by `nasctl space select`.\n"
      << "# Each layer keeps the operators with the highest capacity per ms on this hardware\n"
      << "# (score = capacity / latency of the operator alone at the layer's input shape),\n"
      << "# best first. Load it with [space] operators_file = \"<this file>\".\n"
      << "format = " << quoted(kOperatorsFileFormat) << "\n"
      << "space = " << quoted(header.space) << "\n"
      << "hardware = " << quoted(header.hardware) << "\n"
      << "hardware_plugin = " << quoted(header.hardware_plugin) << "\n"
      << "metric = " << quoted(header.metric) << "\n"
      << "capacity = " << quoted(to_string(options.capacity)) << "\n"
      << "top = " << options.top << "\n"
      << "keep_skip = " << (options.keep_identity ? "true" : "false") << "\n"
      << "config = " << quoted(header.config) << "\n"
      << "distinct_networks_measured = " << report.measured << "\n";
  if (!header.conditions.empty()) {
    out << "conditions = { ";
    bool first = true;
    for (const auto& [k, v] : header.conditions) {
      out << (first ? "" : ", ") << quoted(k) << " = " << quoted(v);
      first = false;
    }
    out << " }\n";
  }
  for (const LayerSelection& layer : report.layers) {
    std::vector<OperatorScore> kept(layer.ranked.begin(),
                                    layer.ranked.begin() + static_cast<std::ptrdiff_t>(std::min(options.top, layer.ranked.size())));
    out << "\n[[layers]]\n"
        << "name = " << quoted(layer.position.name) << "\n"
        << "input = " << quoted(shape_text(layer.position.in)) << "\n"
        << "output = " << quoted(shape_text(layer.position.out)) << "\n"
        << "stride = " << layer.position.stride << "\n"
        << "operators = " << array(layer.chosen, quoted) << "\n"
        << "# figures of the scored operators kept above, in the same order\n"
        << "score = " << array(kept, [](const OperatorScore& s) { return six_digits(s.score); }) << "\n"
        << "latency = " << array(kept, [](const OperatorScore& s) { return six_digits(s.latency); }) << "\n"
        << "macs = " << array(kept, [](const OperatorScore& s) { return std::to_string(s.macs); }) << "\n"
        << "params = " << array(kept, [](const OperatorScore& s) { return std::to_string(s.params); }) << "\n";
  }
  return out.str();
}

}  // namespace nasctl::evolve
