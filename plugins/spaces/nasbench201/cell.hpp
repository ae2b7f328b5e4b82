// The NAS-Bench-201 cell as a plan of layers: which edges a network really
// computes once `none` edges and the nodes they cut off are pruned, and the
// layers that remain, in cell-local terms. lower() turns a plan into
// NetworkSpec layers; canonicalize() groups architectures by plan. Both read
// the same plan, so "same canonical form" and "same lowered network" cannot
// drift apart.
//
// Cell: nodes 0..3, node 0 the cell input, node 3 the cell output; edge
// (j <- i) for every i < j (6 edges); node j = sum over i < j of op(node i).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace nasctl::spaces::nasbench201 {

// Operation indices, in NAS-Bench-201's order (its choice indices).
enum class CellOp : int { None = 0, Skip = 1, Conv1x1 = 2, Conv3x3 = 3, AvgPool3x3 = 4 };
inline constexpr int kCellOps = 5;
inline constexpr std::array<const char*, kCellOps> kOpNames{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
                                                            "avg_pool_3x3"};

inline constexpr int kCellNodes = 4;
inline constexpr int kCellEdges = 6;
// Edge (to <- from) at index to*(to-1)/2 + from: 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2.
constexpr int edge_index(int to, int from) { return to * (to - 1) / 2 + from; }
inline constexpr std::array<int, kCellEdges> kEdgeTo{1, 2, 2, 3, 3, 3};
inline constexpr std::array<int, kCellEdges> kEdgeFrom{0, 0, 1, 0, 1, 2};

using CellOps = std::array<CellOp, kCellEdges>;

// Which edges carry data to the cell output. A node exists when some
// non-`none` edge from an existing node enters it (node 0 always exists); it
// is computed only when it reaches node 3 through non-`none` edges. An edge
// is live when its op is not `none`, its source exists and its target is
// computed. connected: node 3 exists (otherwise the cell's output is zero).
struct CellLiveness {
  std::array<bool, kCellEdges> live{};
  bool connected = false;
};
CellLiveness cell_liveness(const CellOps& ops);

// One layer of a cell. Tensor ids: kCellInput or the index of an earlier step.
inline constexpr int kCellInput = -1;
struct CellStep {
  enum Kind : std::uint8_t { Relu, Conv1x1, Conv3x3, AvgPool3x3, Add };
  Kind kind = Relu;
  std::uint8_t input_count = 1;
  std::array<std::int8_t, 3> inputs{};  // Add has 2 or 3 inputs, the others 1
};

// At most 3 ReLUs (nodes 0..2), 6 edge ops and 2 adds (nodes 2 and 3).
inline constexpr int kMaxCellSteps = 11;

struct CellPlan {
  bool connected = false;
  // Cell output: the last step, or kCellInput when the cell computes nothing
  // (its output is its input, or zero when !connected).
  int output = kCellInput;
  int step_count = 0;
  std::array<CellStep, kMaxCellSteps> steps{};

  // Identifies the plan exactly: two plans with equal keys lower to the same
  // layers (and compute the same function).
  std::string key() const;
};

// The layers of a cell: per computed node, in node order, its live edges in
// order of (source tensor, op) (skip: no layer; nor_conv: ReLU of the
// source, shared by every conv reading that tensor, then conv + BN;
// avg_pool: the pool), then one Add over the node's contributions when it
// has more than one.
CellPlan plan_cell(const CellOps& ops);

}  // namespace nasctl::spaces::nasbench201
