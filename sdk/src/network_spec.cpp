// Counting, keys and consistency checks for NetworkSpec.
#include "nasctl/network_spec.hpp"

#include <algorithm>
#include <string>

#include "nasctl/error.hpp"

namespace nasctl {

const char* to_string(OpKind op) {
  switch (op) {
    case OpKind::Conv2d: return "conv2d";
    case OpKind::Linear: return "linear";
    case OpKind::SqueezeExcite: return "se";
    case OpKind::GlobalAvgPool: return "gap";
    case OpKind::AvgPool2d: return "avgpool";
    case OpKind::MaxPool2d: return "maxpool";
    case OpKind::Add: return "add";
    case OpKind::Concat: return "concat";
    case OpKind::ChannelSlice: return "slice";
    case OpKind::ChannelShuffle: return "shuffle";
    case OpKind::BatchNorm2d: return "bn";
    case OpKind::Activation: return "act";
    case OpKind::Embedding: return "embed";
    case OpKind::LayerNorm: return "ln";
    case OpKind::Attention: return "attn";
    case OpKind::TokenConcat: return "tconcat";
    case OpKind::ToSequence: return "tokens";
    case OpKind::ClassToken: return "cls";
    case OpKind::PositionEmbedding: return "pos";
    case OpKind::TokenSlice: return "tslice";
  }
  return "unknown";
}

const char* to_string(ActivationKind act) {
  switch (act) {
    case ActivationKind::None: return "none";
    case ActivationKind::ReLU: return "relu";
    case ActivationKind::ReLU6: return "relu6";
    case ActivationKind::HardSwish: return "hswish";
    case ActivationKind::HardSigmoid: return "hsigmoid";
    case ActivationKind::Sigmoid: return "sigmoid";
    case ActivationKind::GELU: return "gelu";
    case ActivationKind::Tanh: return "tanh";
  }
  return "unknown";
}

namespace {

std::string shape_text(const TensorShape& s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
}

}  // namespace

std::string Layer::key() const {
  std::string k = nasctl::to_string(op);
  k += '|';
  k += shape_text(in);
  k += '|';
  k += shape_text(out);
  switch (op) {
    case OpKind::Conv2d:
      k += "|k" + std::to_string(kernel) + "|s" + std::to_string(stride) + "|p" +
           std::to_string(padding) + "|g" + std::to_string(groups);
      if (bias) k += "|bias";
      if (batch_norm) k += "|bn";
      break;
    case OpKind::AvgPool2d:
    case OpKind::MaxPool2d:
      k += "|k" + std::to_string(kernel) + "|s" + std::to_string(stride) + "|p" + std::to_string(padding);
      if (ceil_mode) k += "|ceil";
      break;
    case OpKind::Linear:
      if (bias) k += "|bias";
      break;
    case OpKind::SqueezeExcite:
      k += "|r" + std::to_string(hidden);
      break;
    case OpKind::ChannelSlice:
      k += "|o" + std::to_string(hidden);
      break;
    case OpKind::ChannelShuffle:
      k += "|g" + std::to_string(groups);
      break;
    case OpKind::Add:
    case OpKind::Concat:
      k += "|n" + std::to_string(inputs.size());
      break;
    case OpKind::Embedding:
      k += "|v" + std::to_string(hidden);
      if (kernel == 0) k += "|plain";
      break;
    case OpKind::PositionEmbedding:
      k += "|r" + std::to_string(hidden);
      if (stride != 1) k += "|s" + std::to_string(stride);
      break;
    case OpKind::TokenSlice:
      k += "|o" + std::to_string(hidden);
      break;
    case OpKind::Attention:
      // The key/value length is the one shape the in/out shapes do not show.
      k += "|h" + std::to_string(groups) + "|kv" + std::to_string(hidden);
      if (causal) k += "|causal";
      break;
    case OpKind::TokenConcat:
      k += "|n" + std::to_string(inputs.size());
      break;
    default:
      break;
  }
  if (activation != ActivationKind::None) {
    k += '|';
    k += nasctl::to_string(activation);
  }
  return k;
}

namespace {

// A linear layer's input features per output position: all of the input when
// it flattens (output 1x1), the channels when it acts per position.
int64_t linear_fan_in(const Layer& l) { return l.in.elements() / (l.out.height * l.out.width); }

}  // namespace

int64_t layer_macs(const Layer& l) {
  switch (l.op) {
    case OpKind::Conv2d:
      return static_cast<int64_t>(l.kernel) * l.kernel * (l.in.channels / l.groups) * l.out.channels *
             l.out.height * l.out.width;
    case OpKind::Linear:
      return linear_fan_in(l) * l.out.elements();
    case OpKind::Attention:
      // q k^T: Tq*Tk dot products of D/heads per head; then as many for v.
      return 2 * l.out.height * l.hidden * l.in.channels;
    case OpKind::SqueezeExcite:
      // Two 1x1 convolutions at 1x1 spatial size: C->r and r->C.
      return 2 * l.in.channels * l.hidden;
    default:
      return 0;
  }
}

int64_t layer_params(const Layer& l) {
  switch (l.op) {
    case OpKind::Conv2d: {
      int64_t p = static_cast<int64_t>(l.kernel) * l.kernel * (l.in.channels / l.groups) * l.out.channels;
      if (l.bias) p += l.out.channels;
      if (l.batch_norm) p += 2 * l.out.channels;
      return p;
    }
    case OpKind::Linear:
      return linear_fan_in(l) * l.out.channels + (l.bias ? l.out.channels : 0);
    case OpKind::Embedding:
      return l.hidden * l.out.channels;
    case OpKind::LayerNorm:
      return 2 * l.in.channels;
    case OpKind::ClassToken:
      return l.out.channels;
    case OpKind::PositionEmbedding:
      return l.hidden * l.out.channels;
    case OpKind::SqueezeExcite:
      return l.in.channels * l.hidden + l.hidden + l.hidden * l.in.channels + l.in.channels;
    case OpKind::BatchNorm2d:
      return 2 * l.in.channels;
    default:
      return 0;
  }
}

NetworkCost count_cost(const NetworkSpec& spec) {
  NetworkCost cost;
  const int n = static_cast<int>(spec.layers.size());
  // Liveness: a tensor lives from its producer until its last consumer.
  // The network output (last layer) lives to the end.
  std::vector<int> last_use(n, -1);
  int input_last_use = -1;
  for (int i = 0; i < n; ++i) {
    for (int src : spec.layers[i].inputs) {
      if (src == kNetworkInput) input_last_use = std::max(input_last_use, i);
      else last_use[src] = std::max(last_use[src], i);
    }
  }
  if (n > 0) last_use[n - 1] = n;
  // freed_after[i]: elements released once layer i has run.
  std::vector<int64_t> freed_after(n, 0);
  for (int j = 0; j < n; ++j) {
    const int64_t size = spec.layers[j].out.elements();
    if (last_use[j] < 0) freed_after[j] += size;  // unused output: dies at once
    else if (last_use[j] < n) freed_after[last_use[j]] += size;
  }
  if (input_last_use >= 0) freed_after[input_last_use] += spec.input.elements();
  int64_t live = input_last_use >= 0 ? spec.input.elements() : 0;
  for (int i = 0; i < n; ++i) {
    const Layer& l = spec.layers[i];
    cost.macs += layer_macs(l);
    cost.params += layer_params(l);
    // While layer i runs, its inputs and its output are all resident.
    live += l.out.elements();
    cost.peak_activation_elements = std::max(cost.peak_activation_elements, live);
    live -= freed_after[i];
  }
  return cost;
}

void check_network(const NetworkSpec& spec) {
  auto fail = [&](std::size_t i, const std::string& what) {
    throw Error("network '" + spec.name + "' layer " + std::to_string(i) + " (" +
                nasctl::to_string(spec.layers[i].op) + "): " + what);
  };
  if (spec.layers.empty()) throw Error("network '" + spec.name + "' has no layers");
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const Layer& l = spec.layers[i];
    if (l.inputs.empty()) fail(i, "has no inputs");
    for (int src : l.inputs) {
      if (src < kNetworkInput || src >= static_cast<int>(i)) fail(i, "input " + std::to_string(src) + " is not an earlier layer");
    }
    const TensorShape& first = l.inputs[0] == kNetworkInput ? spec.input : spec.layers[l.inputs[0]].out;
    if (first != l.in) fail(i, "declared input shape " + shape_text(l.in) + " but its producer gives " + shape_text(first));
    if (l.out.channels <= 0 || l.out.height <= 0 || l.out.width <= 0) fail(i, "empty output shape " + shape_text(l.out));
    if (l.op == OpKind::Conv2d && (l.groups <= 0 || l.in.channels % l.groups || l.out.channels % l.groups))
      fail(i, "channels " + std::to_string(l.in.channels) + "->" + std::to_string(l.out.channels) +
                  " do not divide by groups " + std::to_string(l.groups));
    auto shape_of = [&](int src) -> const TensorShape& { return src == kNetworkInput ? spec.input : spec.layers[src].out; };
    if (l.op == OpKind::Linear && !(l.out.height * l.out.width == 1 ||
                                    (l.out.height == l.in.height && l.out.width == l.in.width)))
      fail(i, "maps " + shape_text(l.in) + " to " + shape_text(l.out) +
                  ": a linear layer flattens to Fx1x1 or keeps the positions");
    if (l.op == OpKind::Embedding &&
        (l.in.channels != 1 || l.in.width != 1 || l.hidden <= 0 || l.padding < 0 ||
         l.padding + l.out.height > l.in.height || l.out.width != 1))
      fail(i, "reads tokens [" + std::to_string(l.padding) + ", " + std::to_string(l.padding + l.out.height) +
                  ") of ids " + shape_text(l.in) + " with vocabulary " + std::to_string(l.hidden) +
                  "; it needs a 1xNx1 id tensor holding them");
    if (l.op == OpKind::Embedding && l.kernel != 0 && l.kernel != 1)
      fail(i, "mode (kernel) " + std::to_string(l.kernel) + " is neither 1 (fairseq) nor 0 (plain lookup)");
    if (l.op == OpKind::ToSequence && l.out != TensorShape{l.in.channels, l.in.height * l.in.width, 1})
      fail(i, "turns " + shape_text(l.in) + " into " + shape_text(l.out) + "; it gives Cx(H*W)x1");
    if (l.op == OpKind::ClassToken && (l.in.width != 1 || l.out != TensorShape{l.in.channels, l.in.height + 1, 1}))
      fail(i, "prepends a token to " + shape_text(l.in) + " giving " + shape_text(l.out));
    if (l.op == OpKind::PositionEmbedding &&
        (l.in != l.out || l.in.width != 1 || l.stride < 0 || l.hidden <= (l.in.height - 1) * l.stride))
      fail(i, "adds rows of a " + std::to_string(l.hidden) + "-row table with step " + std::to_string(l.stride) +
                  " to " + shape_text(l.in) + "; the table needs a row for every token");
    if (l.op == OpKind::TokenSlice &&
        (l.in.width != 1 || l.out.width != 1 || l.out.channels != l.in.channels || l.hidden < 0 ||
         l.hidden + l.out.height > l.in.height))
      fail(i, "takes tokens [" + std::to_string(l.hidden) + ", " + std::to_string(l.hidden + l.out.height) +
                  ") of " + shape_text(l.in));
    if (l.ceil_mode && l.op != OpKind::AvgPool2d && l.op != OpKind::MaxPool2d)
      fail(i, "has ceil_mode set; only the pools have a ceil mode");
    if ((l.op == OpKind::LayerNorm || l.op == OpKind::Activation) && l.in != l.out)
      fail(i, "changes shape " + shape_text(l.in) + " to " + shape_text(l.out));
    if (l.op == OpKind::Attention) {
      if (l.inputs.size() != 3) fail(i, "needs 3 inputs (q, k, v), has " + std::to_string(l.inputs.size()));
      const TensorShape& k = shape_of(l.inputs[1]);
      if (k != shape_of(l.inputs[2]) || k.channels != l.in.channels || k.width != 1 || k.height != l.hidden ||
          l.out != l.in || l.in.width != 1)
        fail(i, "q " + shape_text(l.in) + ", k " + shape_text(k) + ", v " + shape_text(shape_of(l.inputs[2])) +
                    " and key length " + std::to_string(l.hidden) + " do not agree");
      if (l.groups <= 0 || l.in.channels % l.groups)
        fail(i, "width " + std::to_string(l.in.channels) + " does not divide by " + std::to_string(l.groups) + " heads");
    }
    if (l.op == OpKind::TokenConcat) {
      int64_t tokens = 0;
      for (int src : l.inputs) {
        const TensorShape& s = shape_of(src);
        if (s.channels != l.out.channels || s.width != 1)
          fail(i, "joins " + shape_text(s) + " into " + shape_text(l.out));
        tokens += s.height;
      }
      if (tokens != l.out.height) fail(i, "joins " + std::to_string(tokens) + " tokens into " + shape_text(l.out));
    }
    if (l.op == OpKind::Add) {
      for (int src : l.inputs) {
        const TensorShape& s = src == kNetworkInput ? spec.input : spec.layers[src].out;
        if (s != l.out) fail(i, "adds shapes " + shape_text(s) + " and " + shape_text(l.out));
      }
    }
  }
}

}  // namespace nasctl
