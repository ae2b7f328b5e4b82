// HURRICANE's candidate operator pool (Zhang et al. 2020): MobileNetV2/V3
// inverted bottlenecks and ShuffleNetV2 units with several kernels,
// expansions, squeeze-excite and activations, plus skip. 43 operators:
//   ir_k{3,5,7}_e{1,3,6}[_se]_{relu,hswish}   36 inverted bottlenecks
//   shuffle_k{3,5,7}_{relu,hswish}              6 ShuffleNetV2 units
//   skip                                        identity (shape-preserving layers only)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl::spaces::hurricane {

enum class Family { InvertedResidual, Shuffle, Skip };

struct Operator {
  std::string name;
  Family family = Family::InvertedResidual;
  int kernel = 3;
  int expand = 1;   // inverted bottleneck: mid channels = expand * input channels
  bool se = false;  // inverted bottleneck: squeeze-excite after the depthwise conv
  ActivationKind act = ActivationKind::ReLU;
};

// The pool, in a fixed order (the order of a layer's choices without an
// operators file).
const std::vector<Operator>& operator_pool();
// Index in the pool, or -1.
int find_operator(std::string_view name);

// MobileNetV3's channel rounding: nearest multiple of 8 (at least 8), bumped
// by 8 when rounding down lost more than 10%.
int64_t make_divisible(double value);

// Whether `op` can map cin channels to cout with this stride. Skip only
// where the shape is kept; ShuffleNetV2 units need even channel counts.
bool operator_fits(const Operator& op, int64_t cin, int64_t cout, int stride);

// Appends the operator's layers to `b`, reading b's current tensor. Every
// convolution carries its batch norm; the lowering is exact:
//  - inverted bottleneck (MobileNetV2/V3): [1x1 cin->mid, BN, act] (absent
//    when expand = 1), depthwise kxk stride s, BN, act, [SE with
//    make_divisible(mid / 4) hidden channels], 1x1 mid->cout, BN; identity
//    shortcut when stride 1 and cin = cout;
//  - ShuffleNetV2 unit, stride 1 and cin = cout: split in halves; the second
//    goes 1x1, BN, act -> depthwise kxk, BN -> 1x1, BN, act; concat with the
//    first; channel shuffle (2 groups);
//  - ShuffleNetV2 unit, otherwise (down-sampling or widening): both branches
//    read the whole input: [depthwise kxk stride s, BN -> 1x1 cin->cout/2,
//    BN, act] and [1x1 cin->cout/2, BN, act -> depthwise kxk stride s, BN ->
//    1x1, BN, act]; concat; channel shuffle (2 groups);
//  - skip: nothing.
void append_operator(NetworkBuilder& b, const Operator& op, int64_t cout, int stride);

}  // namespace nasctl::spaces::hurricane
