// The operator pool and each operator's lowering to NetworkSpec layers.
#include "operators.hpp"

#include <algorithm>

namespace nasctl::spaces::hurricane {

namespace {

const char* act_name(ActivationKind act) { return act == ActivationKind::HardSwish ? "hswish" : "relu"; }

std::vector<Operator> build_pool() {
  std::vector<Operator> pool;
  const ActivationKind acts[] = {ActivationKind::ReLU, ActivationKind::HardSwish};
  for (int k : {3, 5, 7}) {
    for (int e : {1, 3, 6}) {
      for (bool se : {false, true}) {
        for (ActivationKind act : acts) {
          Operator op;
          op.family = Family::InvertedResidual;
          op.kernel = k;
          op.expand = e;
          op.se = se;
          op.act = act;
          op.name = "ir_k" + std::to_string(k) + "_e" + std::to_string(e) + (se ? "_se_" : "_") + act_name(act);
          pool.push_back(op);
        }
      }
    }
  }
  for (int k : {3, 5, 7}) {
    for (ActivationKind act : acts) {
      Operator op;
      op.family = Family::Shuffle;
      op.kernel = k;
      op.act = act;
      op.name = "shuffle_k" + std::to_string(k) + "_" + act_name(act);
      pool.push_back(op);
    }
  }
  Operator skip;
  skip.family = Family::Skip;
  skip.kernel = 0;
  skip.act = ActivationKind::None;
  skip.name = "skip";
  pool.push_back(skip);
  return pool;
}

void append_inverted_residual(NetworkBuilder& b, const Operator& op, int64_t cout, int stride) {
  const int input = b.current();
  const int64_t cin = b.current_shape().channels;
  const int64_t mid = cin * op.expand;
  if (op.expand != 1) b.conv(mid, 1, 1, 1, true, op.act);
  b.depthwise(op.kernel, stride, true, op.act);
  if (op.se) b.squeeze_excite(make_divisible(static_cast<double>(mid) / 4.0));
  b.conv(cout, 1, 1, 1, true, ActivationKind::None);
  if (stride == 1 && cin == cout) b.add(input, b.current());
}

void append_shuffle(NetworkBuilder& b, const Operator& op, int64_t cout, int stride) {
  const int input = b.current();
  const int64_t cin = b.current_shape().channels;
  if (stride == 1 && cin == cout) {
    const int64_t half = cin / 2;
    const int kept = b.channel_slice(0, half);
    b.set_current(input);
    b.channel_slice(half, cin - half);
    b.conv(cin - half, 1, 1, 1, true, op.act);
    b.depthwise(op.kernel, 1, true, ActivationKind::None);
    const int branch = b.conv(cin - half, 1, 1, 1, true, op.act);
    b.concat({kept, branch});
    b.channel_shuffle(2);
    return;
  }
  const int64_t half = cout / 2;
  b.depthwise(op.kernel, stride, true, ActivationKind::None);
  const int left = b.conv(half, 1, 1, 1, true, op.act);
  b.set_current(input);
  b.conv(half, 1, 1, 1, true, op.act);
  b.depthwise(op.kernel, stride, true, ActivationKind::None);
  const int right = b.conv(cout - half, 1, 1, 1, true, op.act);
  b.concat({left, right});
  b.channel_shuffle(2);
}

}  // namespace

const std::vector<Operator>& operator_pool() {
  static const std::vector<Operator> pool = build_pool();
  return pool;
}

int find_operator(std::string_view name) {
  const auto& pool = operator_pool();
  const auto it = std::find_if(pool.begin(), pool.end(), [&](const Operator& op) { return op.name == name; });
  return it == pool.end() ? -1 : static_cast<int>(it - pool.begin());
}

int64_t make_divisible(double value) {
  int64_t n = std::max<int64_t>(8, static_cast<int64_t>(value + 4.0) / 8 * 8);
  if (static_cast<double>(n) < 0.9 * value) n += 8;
  return n;
}

bool operator_fits(const Operator& op, int64_t cin, int64_t cout, int stride) {
  switch (op.family) {
    case Family::Skip: return stride == 1 && cin == cout;
    case Family::Shuffle: return cout % 2 == 0 && cin % 2 == 0;
    case Family::InvertedResidual: return true;
  }
  return false;
}

void append_operator(NetworkBuilder& b, const Operator& op, int64_t cout, int stride) {
  switch (op.family) {
    case Family::Skip: return;
    case Family::Shuffle: return append_shuffle(b, op, cout, stride);
    case Family::InvertedResidual: return append_inverted_residual(b, op, cout, stride);
  }
}

}  // namespace nasctl::spaces::hurricane
