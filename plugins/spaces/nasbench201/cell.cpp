// Pruning and planning of a NAS-Bench-201 cell (see cell.hpp).
#include "cell.hpp"

#include <algorithm>
#include <utility>

namespace nasctl::spaces::nasbench201 {

CellLiveness cell_liveness(const CellOps& ops) {
  auto carries = [&](int to, int from) { return ops[edge_index(to, from)] != CellOp::None; };
  std::array<bool, kCellNodes> exists{};
  exists[0] = true;
  for (int j = 1; j < kCellNodes; ++j) {
    for (int i = 0; i < j; ++i) exists[j] = exists[j] || (exists[i] && carries(j, i));
  }
  // computed[i]: node i exists and reaches the output.
  std::array<bool, kCellNodes> computed{};
  computed[kCellNodes - 1] = exists[kCellNodes - 1];
  for (int i = kCellNodes - 2; i >= 0; --i) {
    for (int j = i + 1; j < kCellNodes; ++j) computed[i] = computed[i] || (exists[i] && carries(j, i) && computed[j]);
  }
  CellLiveness out;
  out.connected = exists[kCellNodes - 1];
  for (int e = 0; e < kCellEdges; ++e) {
    const int from = kEdgeFrom[e], to = kEdgeTo[e];
    out.live[e] = carries(to, from) && exists[from] && computed[to];
  }
  return out;
}

std::string CellPlan::key() const {
  std::string k;
  k.reserve(4 + 5 * step_count);
  k += connected ? 'c' : 'z';
  k += static_cast<char>('0' + output + 1);
  for (int s = 0; s < step_count; ++s) {
    const CellStep& step = steps[s];
    k += static_cast<char>('A' + step.kind);
    for (int i = 0; i < step.input_count; ++i) k += static_cast<char>('0' + step.inputs[i] + 1);
  }
  return k;
}

CellPlan plan_cell(const CellOps& ops) {
  const CellLiveness liveness = cell_liveness(ops);
  CellPlan plan;
  plan.connected = liveness.connected;
  if (!plan.connected) return plan;

  auto append = [&](CellStep::Kind kind, std::initializer_list<int> inputs) {
    CellStep& step = plan.steps[plan.step_count];
    step.kind = kind;
    step.input_count = static_cast<std::uint8_t>(inputs.size());
    int n = 0;
    for (int in : inputs) step.inputs[n++] = static_cast<std::int8_t>(in);
    return plan.step_count++;
  };
  // relu_of[t + 1]: the step holding ReLU(tensor t), or -2 when not made yet.
  std::array<int, kMaxCellSteps + 1> relu_of{};
  relu_of.fill(-2);
  auto relu = [&](int tensor) {
    int& r = relu_of[tensor + 1];
    if (r == -2) r = append(CellStep::Relu, {tensor});
    return r;
  };

  std::array<int, kCellNodes> tensor{};
  tensor[0] = kCellInput;
  for (int j = 1; j < kCellNodes; ++j) {
    // The node's live edges as (source tensor, op), sorted: nodes that are
    // the same tensor (joined by skips) are interchangeable sources, so
    // cells that differ only in which of them an op reads get one plan.
    std::array<std::pair<int, CellOp>, 3> edges{};
    int edge_count = 0;
    for (int i = 0; i < j; ++i) {
      const int e = edge_index(j, i);
      if (liveness.live[e]) edges[edge_count++] = {tensor[i], ops[e]};
    }
    std::sort(edges.begin(), edges.begin() + edge_count);
    std::array<int, 3> parts{};
    int part_count = 0;
    for (int k = 0; k < edge_count; ++k) {
      const auto [source, op] = edges[k];
      switch (op) {
        case CellOp::Skip: parts[part_count++] = source; break;
        case CellOp::Conv1x1: parts[part_count++] = append(CellStep::Conv1x1, {relu(source)}); break;
        case CellOp::Conv3x3: parts[part_count++] = append(CellStep::Conv3x3, {relu(source)}); break;
        case CellOp::AvgPool3x3: parts[part_count++] = append(CellStep::AvgPool3x3, {source}); break;
        case CellOp::None: break;  // never live
      }
    }
    if (part_count == 0) continue;  // node not computed
    if (part_count == 1) tensor[j] = parts[0];
    else if (part_count == 2) tensor[j] = append(CellStep::Add, {parts[0], parts[1]});
    else tensor[j] = append(CellStep::Add, {parts[0], parts[1], parts[2]});
  }
  plan.output = tensor[kCellNodes - 1];
  return plan;
}

}  // namespace nasctl::spaces::nasbench201
