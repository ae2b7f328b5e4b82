// Networks and helpers of the test_onnx suite: OFA MobileNetV3's smallest and
// largest sub-networks, a HURRICANE network built from ShuffleNetV2 units
// (channel slice, concat, shuffle), the hand-built specs of tests/torch that
// cover every OpKind, and ONNX initializers read back as ATen tensors.
#pragma once

#include "torch_doctest.hpp"  // first: LibTorch's CHECK must not replace doctest's

#include <onnx/onnx_pb.h>

#include <string>
#include <utility>
#include <vector>

#include "hurricane_space.hpp"
#include "nasctl/network_spec.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"
#include "specs.hpp"

namespace nasctl::test {

// Every choice the first (largest = the last) at `resolution`.
inline NetworkSpec ofa_network(bool largest, int64_t resolution = 224) {
  auto space = make_plugin<spaces::ofa_mobilenetv3::OfaMobileNetV3>({{"resolutions", std::vector<int64_t>{resolution}}});
  Architecture arch(space->variables().size(), 0);
  if (largest) {
    for (std::size_t i = 0; i < arch.size(); ++i) arch[i] = space->variables()[i].cardinality() - 1;
  }
  return space->lower(space->canonicalize(arch));
}

// Each searchable layer takes its first ShuffleNetV2 operator with kernel
// `kernel` (stride-1 units split channels in two slices; strided ones run two
// branches), or, where that layer has none, its first operator.
inline NetworkSpec hurricane_shuffle_network(int64_t resolution = 224, int kernel = 3) {
  auto space = make_plugin<spaces::hurricane::HurricaneSpace>({{"resolution", int64_t{resolution}}});
  Architecture arch(space->variables().size(), 0);
  const std::string wanted = "shuffle_k" + std::to_string(kernel) + "_";
  for (std::size_t i = 0; i < arch.size(); ++i) {
    const auto& labels = space->variables()[i].labels;
    for (std::size_t c = 0; c < labels.size(); ++c) {
      if (labels[c].rfind(wanted, 0) == 0) {
        arch[i] = static_cast<int>(c);
        break;
      }
    }
  }
  return space->lower(arch);
}

// Every network the suite checks, by name.
inline std::vector<std::pair<std::string, NetworkSpec>> all_networks() {
  return {{"ofa smallest", ofa_network(false)},
          {"ofa largest", ofa_network(true)},
          {"hurricane shuffle", hurricane_shuffle_network()},
          {"mobilenet-like", mobilenet_like()},
          {"shufflenet-like", shufflenet_like()},
          {"grouped", grouped_net()},
          {"odd-channels", odd_channels()},
          {"ceil-pools", ceil_pools()}};
}

inline int count_ops(const ::onnx::GraphProto& graph, const std::string& op_type) {
  int n = 0;
  for (const auto& node : graph.node()) n += node.op_type() == op_type;
  return n;
}

inline const ::onnx::TensorProto* find_initializer(const ::onnx::GraphProto& graph, const std::string& name) {
  for (const auto& t : graph.initializer()) {
    if (t.name() == name) return &t;
  }
  return nullptr;
}

}  // namespace nasctl::test
