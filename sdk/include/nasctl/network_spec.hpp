// NetworkSpec: the layer-level description of one sub-network. Every hardware
// model reads it: it is enough to count MACs/parameters/activation memory, to
// key a latency lookup table, and to build an equivalent LibTorch module.
//
// Layers are deployment units rather than framework primitives: a convolution
// carries its batch norm and activation, because that is what an inference
// runtime executes as one kernel (BN folded, activation fused) and what a
// per-device latency table is measured on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nasctl {

enum class OpKind {
  Conv2d,         // k x k convolution (+ optional BN, activation); groups = in channels for depthwise
  Linear,         // fully connected (+ optional activation): on the flattened input when the output
                  // is {F, 1, 1}, else per position (out {F, H, W} from in {C, H, W}, C features each)
  SqueezeExcite,  // global pool -> 1x1 (C->hidden, bias) -> ReLU -> 1x1 (hidden->C, bias) -> h-sigmoid -> scale
  GlobalAvgPool,  // C x H x W -> C x 1 x 1
  AvgPool2d,      // kernel, stride, padding (count_include_pad = false), ceil_mode
  MaxPool2d,      // kernel, stride, padding, ceil_mode
  Add,            // element-wise sum of its inputs (residual)
  Concat,         // channel concatenation of its inputs
  ChannelSlice,   // channels [offset, offset + out.channels) of its input
  ChannelShuffle, // ShuffleNet shuffle with `groups` groups
  BatchNorm2d,    // stand-alone batch norm (one not fused into a convolution)
  Activation,     // stand-alone activation
  // Sequence ops. A sequence of T tokens of F features is TensorShape{F, T, 1}.
  Embedding,      // token ids -> vectors: reads tokens [padding, padding + T) of a {1, N, 1} id tensor;
                  // hidden = vocabulary; kernel 1 (the default): scaled by sqrt(F) plus fixed
                  // sinusoidal positions (fairseq); kernel 0: the plain lookup (BERT)
  LayerNorm,      // normalises each position over its F features (+ gain and bias, 2F parameters)
  Attention,      // scaled dot-product attention, inputs (q, k, v): q {D, Tq, 1}, k and v {D, Tk, 1};
                  // groups = heads (head dim D / heads), causal = mask future keys; out {D, Tq, 1}
  TokenConcat,    // concatenation of its inputs along the token axis (height)
  ToSequence,     // C x H x W -> {C, H*W, 1}: each position a token, row-major (a ViT's patches)
  ClassToken,     // prepends one learned F vector: {F, T, 1} -> {F, T + 1, 1} (F parameters)
  PositionEmbedding,  // adds row t*stride of a learned table of `hidden` rows to token t (hidden*F
                      // parameters): stride 1 = learned positions; stride 0 adds row 0 everywhere
                      // (BERT's token-type embedding of one-segment input)
  TokenSlice,     // tokens [hidden, hidden + T') of its input: {F, T, 1} -> {F, T', 1}
};

// GELU is the exact (erf) form, as torch.nn.GELU's default and BERT/ViT use.
enum class ActivationKind { None, ReLU, ReLU6, HardSwish, HardSigmoid, Sigmoid, GELU, Tanh };

// Shape of one sample (batch excluded). Linear layers use {features, 1, 1}.
struct TensorShape {
  int64_t channels = 0;
  int64_t height = 1;
  int64_t width = 1;

  int64_t elements() const { return channels * height * width; }
  bool operator==(const TensorShape& o) const {
    return channels == o.channels && height == o.height && width == o.width;
  }
  bool operator!=(const TensorShape& o) const { return !(*this == o); }
};

// Index used in Layer::inputs for the network's input tensor.
constexpr int kNetworkInput = -1;

struct Layer {
  OpKind op = OpKind::Conv2d;
  // Producers of this layer's inputs, by layer index (kNetworkInput for the
  // network input). Always explicit, so the spec is a DAG in topological order.
  std::vector<int> inputs;
  TensorShape in;   // shape of the first input
  TensorShape out;  // shape of the output
  int kernel = 1;
  int stride = 1;
  int padding = 0;
  int groups = 1;         // Conv2d groups; ChannelShuffle groups
  int64_t hidden = 0;     // SqueezeExcite reduced channels; ChannelSlice offset
  bool bias = false;      // Conv2d / Linear
  bool batch_norm = false;  // Conv2d: followed by a (foldable) batch norm
  ActivationKind activation = ActivationKind::None;
  bool causal = false;      // Attention: query i sees keys 0..i only (a decoder's self-attention)
  // AvgPool2d / MaxPool2d: PyTorch's ceil_mode. The output is
  // ceil((H + 2p - k) / s) + 1 (less one where that last window would start
  // past the input and its left padding), and a window hanging over the edge
  // averages only what it covers: OFA ResNet's downsample pool on odd maps.
  bool ceil_mode = false;

  // Stable, human-readable signature of everything that determines the cost
  // of this layer, e.g. "conv2d|16x112x112|24x56x56|k3|s2|p1|g1|bn|relu".
  // Lookup tables are keyed by it; it never contains commas.
  std::string key() const;
};

struct NetworkSpec {
  std::string name;          // e.g. the space name
  TensorShape input;         // one sample, e.g. {3, 224, 224}
  std::vector<Layer> layers; // topological order; the last layer is the output

  const TensorShape& output() const { return layers.back().out; }
};

// Cost counts. Convention (reproduces DyNAS-T's OFA table exactly):
// parameters = weights + biases + 2 per batch-norm channel;
// MACs = k*k*(cin/groups)*cout*Hout*Wout per convolution (SE convolutions at
// 1x1), in*out per linear layer (times the positions of a per-position one),
// nothing for BN, activations, pooling, adds.
// Sequence ops: an embedding is a table lookup (vocab*F parameters, 0 MACs);
// layer norm holds 2F parameters and no MACs (like batch norm); attention
// holds no parameters (its projections are Linear layers) and costs
// 2*Tq*Tk*D MACs (q k^T and the weighted sum of v; softmax not counted,
// and a causal mask does not halve it: the products are computed densely).
// A class token holds F parameters, a position embedding rows*F; neither,
// nor a reshape to tokens or a token slice, counts MACs.
int64_t layer_macs(const Layer& layer);
int64_t layer_params(const Layer& layer);

struct NetworkCost {
  int64_t macs = 0;
  int64_t params = 0;
  // Largest number of activation elements alive at once (inputs still needed
  // by later layers plus the output being produced), batch 1.
  int64_t peak_activation_elements = 0;
};
NetworkCost count_cost(const NetworkSpec& spec);

// Checks the spec's internal consistency (inputs refer to earlier layers,
// shapes agree, channels divide by groups); throws nasctl::Error naming the
// offending layer. Spaces call it in tests; builders call it before building.
void check_network(const NetworkSpec& spec);

const char* to_string(OpKind op);
const char* to_string(ActivationKind act);

// Appends layers with shape inference, tracking the "current" tensor, so a
// space's lower() reads like the network definition. Convolutions use
// padding kernel/2 (the "same" convention of MobileNet-style networks).
class NetworkBuilder {
 public:
  NetworkBuilder(std::string name, TensorShape input);

  // Each returns the index of the layer it appended, which becomes current.
  int conv(int64_t out_channels, int kernel, int stride, int groups, bool batch_norm,
           ActivationKind act, bool bias = false);
  int depthwise(int kernel, int stride, bool batch_norm, ActivationKind act);
  int squeeze_excite(int64_t hidden);
  int global_avg_pool();
  int avg_pool(int kernel, int stride, int padding, bool ceil_mode = false);
  int max_pool(int kernel, int stride, int padding, bool ceil_mode = false);
  int linear(int64_t out_features, bool bias, ActivationKind act = ActivationKind::None);
  int batch_norm();
  int activation(ActivationKind act);
  int add(int a, int b);
  int concat(const std::vector<int>& parts);
  int channel_slice(int64_t offset, int64_t channels);
  int channel_shuffle(int groups);
  // Sequence ops (see OpKind): the current tensor is the id tensor for
  // embedding(); attention() reads q, k, v and makes its output current.
  // Linear acting on each position's channels: {C, H, W} -> {F, H, W}.
  int token_linear(int64_t out_features, bool bias, ActivationKind act = ActivationKind::None);
  int embedding(int64_t vocabulary, int64_t features, int64_t first_token, int64_t tokens);
  int layer_norm();
  int attention(int q, int k, int v, int heads, bool causal);
  int token_concat(const std::vector<int>& parts);
  // The plain lookup (Embedding with kernel 0): no scale, no positions.
  int plain_embedding(int64_t vocabulary, int64_t features, int64_t first_token, int64_t tokens);
  // A ViT's patch embedding: a patch x patch convolution of stride patch,
  // no padding, with bias, to `features` channels, then ToSequence.
  int patch_embedding(int64_t features, int patch);
  int to_sequence();
  int class_token();
  int position_embedding(int64_t rows, int stride = 1);
  int token_slice(int64_t first, int64_t tokens);

  // The tensor the next layer reads; set it to branch from an earlier layer.
  int current() const { return current_; }
  void set_current(int layer) { current_ = layer; }
  const TensorShape& shape_of(int layer) const;
  const TensorShape& current_shape() const { return shape_of(current_); }

  NetworkSpec finish() &&;

 private:
  int append(Layer layer);
  NetworkSpec spec_;
  int current_ = kNetworkInput;
};

}  // namespace nasctl
