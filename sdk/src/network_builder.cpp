// NetworkBuilder: shape inference for the layers a space appends.
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl {

namespace {

int64_t conv_out(int64_t size, int kernel, int stride, int padding) {
  return (size + 2 * padding - kernel) / stride + 1;
}

// A pool's output size as PyTorch computes it (pooling_output_shape): in ceil
// mode the division rounds up, but a last window must start inside the input
// or its left padding.
int64_t pool_out(int64_t size, int kernel, int stride, int padding, bool ceil_mode) {
  if (!ceil_mode) return conv_out(size, kernel, stride, padding);
  int64_t out = (size + 2 * padding - kernel + stride - 1) / stride + 1;
  if ((out - 1) * stride >= size + padding) --out;
  return out;
}

}  // namespace

NetworkBuilder::NetworkBuilder(std::string name, TensorShape input) {
  spec_.name = std::move(name);
  spec_.input = input;
}

const TensorShape& NetworkBuilder::shape_of(int layer) const {
  if (layer == kNetworkInput) return spec_.input;
  if (layer < 0 || layer >= static_cast<int>(spec_.layers.size()))
    throw Error("NetworkBuilder: no layer " + std::to_string(layer) + " in '" + spec_.name + "'");
  return spec_.layers[layer].out;
}

int NetworkBuilder::append(Layer layer) {
  if (layer.inputs.empty()) layer.inputs = {current_};
  layer.in = shape_of(layer.inputs[0]);
  spec_.layers.push_back(std::move(layer));
  current_ = static_cast<int>(spec_.layers.size()) - 1;
  return current_;
}

int NetworkBuilder::conv(int64_t out_channels, int kernel, int stride, int groups, bool batch_norm,
                         ActivationKind act, bool bias) {
  const TensorShape& in = current_shape();
  Layer l;
  l.op = OpKind::Conv2d;
  l.kernel = kernel;
  l.stride = stride;
  l.padding = kernel / 2;
  l.groups = groups;
  l.batch_norm = batch_norm;
  l.activation = act;
  l.bias = bias;
  l.out = {out_channels, conv_out(in.height, kernel, stride, l.padding),
           conv_out(in.width, kernel, stride, l.padding)};
  return append(std::move(l));
}

int NetworkBuilder::depthwise(int kernel, int stride, bool batch_norm, ActivationKind act) {
  const int64_t c = current_shape().channels;
  return conv(c, kernel, stride, static_cast<int>(c), batch_norm, act);
}

int NetworkBuilder::squeeze_excite(int64_t hidden) {
  Layer l;
  l.op = OpKind::SqueezeExcite;
  l.hidden = hidden;
  l.out = current_shape();
  return append(std::move(l));
}

int NetworkBuilder::global_avg_pool() {
  Layer l;
  l.op = OpKind::GlobalAvgPool;
  l.out = {current_shape().channels, 1, 1};
  return append(std::move(l));
}

int NetworkBuilder::avg_pool(int kernel, int stride, int padding, bool ceil_mode) {
  const TensorShape& in = current_shape();
  Layer l;
  l.op = OpKind::AvgPool2d;
  l.kernel = kernel;
  l.stride = stride;
  l.padding = padding;
  l.ceil_mode = ceil_mode;
  l.out = {in.channels, pool_out(in.height, kernel, stride, padding, ceil_mode),
           pool_out(in.width, kernel, stride, padding, ceil_mode)};
  return append(std::move(l));
}

int NetworkBuilder::max_pool(int kernel, int stride, int padding, bool ceil_mode) {
  const int index = avg_pool(kernel, stride, padding, ceil_mode);
  spec_.layers[index].op = OpKind::MaxPool2d;
  return index;
}

int NetworkBuilder::linear(int64_t out_features, bool bias, ActivationKind act) {
  Layer l;
  l.op = OpKind::Linear;
  l.bias = bias;
  l.activation = act;
  l.out = {out_features, 1, 1};
  return append(std::move(l));
}

int NetworkBuilder::batch_norm() {
  Layer l;
  l.op = OpKind::BatchNorm2d;
  l.out = current_shape();
  return append(std::move(l));
}

int NetworkBuilder::activation(ActivationKind act) {
  Layer l;
  l.op = OpKind::Activation;
  l.activation = act;
  l.out = current_shape();
  return append(std::move(l));
}

int NetworkBuilder::add(int a, int b) {
  if (shape_of(a) != shape_of(b)) throw Error("NetworkBuilder: add of layers with different shapes in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::Add;
  l.inputs = {a, b};
  l.out = shape_of(a);
  return append(std::move(l));
}

int NetworkBuilder::concat(const std::vector<int>& parts) {
  if (parts.empty()) throw Error("NetworkBuilder: concat of nothing in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::Concat;
  l.inputs = parts;
  l.out = shape_of(parts[0]);
  l.out.channels = 0;
  for (int p : parts) {
    const TensorShape& s = shape_of(p);
    if (s.height != l.out.height || s.width != l.out.width)
      throw Error("NetworkBuilder: concat of different spatial sizes in '" + spec_.name + "'");
    l.out.channels += s.channels;
  }
  return append(std::move(l));
}

int NetworkBuilder::channel_slice(int64_t offset, int64_t channels) {
  const TensorShape& in = current_shape();
  if (offset < 0 || channels <= 0 || offset + channels > in.channels)
    throw Error("NetworkBuilder: channel slice out of range in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::ChannelSlice;
  l.hidden = offset;
  l.out = {channels, in.height, in.width};
  return append(std::move(l));
}

int NetworkBuilder::channel_shuffle(int groups) {
  if (groups <= 0 || current_shape().channels % groups)
    throw Error("NetworkBuilder: channel shuffle groups do not divide channels in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::ChannelShuffle;
  l.groups = groups;
  l.out = current_shape();
  return append(std::move(l));
}

int NetworkBuilder::token_linear(int64_t out_features, bool bias, ActivationKind act) {
  const int index = linear(out_features, bias, act);
  Layer& l = spec_.layers[index];
  l.out.height = l.in.height;
  l.out.width = l.in.width;
  return index;
}

int NetworkBuilder::embedding(int64_t vocabulary, int64_t features, int64_t first_token, int64_t tokens) {
  const TensorShape& ids = current_shape();
  if (ids.channels != 1 || ids.width != 1 || first_token < 0 || tokens <= 0 || first_token + tokens > ids.height)
    throw Error("NetworkBuilder: embedding of tokens outside the id tensor in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::Embedding;
  l.hidden = vocabulary;
  l.padding = static_cast<int>(first_token);
  l.out = {features, tokens, 1};
  return append(std::move(l));
}

int NetworkBuilder::layer_norm() {
  Layer l;
  l.op = OpKind::LayerNorm;
  l.out = current_shape();
  return append(std::move(l));
}

int NetworkBuilder::attention(int q, int k, int v, int heads, bool causal) {
  const TensorShape& qs = shape_of(q);
  const TensorShape& ks = shape_of(k);
  if (ks != shape_of(v) || ks.channels != qs.channels || heads <= 0 || qs.channels % heads)
    throw Error("NetworkBuilder: attention q/k/v widths or heads disagree in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::Attention;
  l.inputs = {q, k, v};
  l.groups = heads;
  l.hidden = ks.height;
  l.causal = causal;
  l.out = qs;
  return append(std::move(l));
}

int NetworkBuilder::token_concat(const std::vector<int>& parts) {
  if (parts.empty()) throw Error("NetworkBuilder: token concat of nothing in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::TokenConcat;
  l.inputs = parts;
  l.out = shape_of(parts[0]);
  l.out.height = 0;
  for (int p : parts) {
    const TensorShape& s = shape_of(p);
    if (s.channels != l.out.channels || s.width != 1)
      throw Error("NetworkBuilder: token concat of different widths in '" + spec_.name + "'");
    l.out.height += s.height;
  }
  return append(std::move(l));
}

int NetworkBuilder::plain_embedding(int64_t vocabulary, int64_t features, int64_t first_token, int64_t tokens) {
  const int index = embedding(vocabulary, features, first_token, tokens);
  spec_.layers[index].kernel = 0;
  return index;
}

int NetworkBuilder::patch_embedding(int64_t features, int patch) {
  const TensorShape& in = current_shape();
  if (patch <= 0 || in.height % patch || in.width % patch)
    throw Error("NetworkBuilder: " + std::to_string(in.height) + "x" + std::to_string(in.width) +
                " does not divide into " + std::to_string(patch) + "x" + std::to_string(patch) + " patches in '" +
                spec_.name + "'");
  Layer l;
  l.op = OpKind::Conv2d;
  l.kernel = patch;
  l.stride = patch;
  l.padding = 0;
  l.bias = true;
  l.out = {features, in.height / patch, in.width / patch};
  append(std::move(l));
  return to_sequence();
}

int NetworkBuilder::to_sequence() {
  const TensorShape& in = current_shape();
  Layer l;
  l.op = OpKind::ToSequence;
  l.out = {in.channels, in.height * in.width, 1};
  return append(std::move(l));
}

int NetworkBuilder::class_token() {
  const TensorShape& in = current_shape();
  Layer l;
  l.op = OpKind::ClassToken;
  l.out = {in.channels, in.height + 1, 1};
  return append(std::move(l));
}

int NetworkBuilder::position_embedding(int64_t rows, int stride) {
  Layer l;
  l.op = OpKind::PositionEmbedding;
  l.hidden = rows;
  l.stride = stride;
  l.out = current_shape();
  if (stride < 0 || rows <= (l.out.height - 1) * stride)
    throw Error("NetworkBuilder: a position table of " + std::to_string(rows) + " rows is too short for " +
                std::to_string(l.out.height) + " tokens in '" + spec_.name + "'");
  return append(std::move(l));
}

int NetworkBuilder::token_slice(int64_t first, int64_t tokens) {
  const TensorShape& in = current_shape();
  if (first < 0 || tokens <= 0 || first + tokens > in.height)
    throw Error("NetworkBuilder: tokens [" + std::to_string(first) + ", " + std::to_string(first + tokens) +
                ") outside a sequence of " + std::to_string(in.height) + " in '" + spec_.name + "'");
  Layer l;
  l.op = OpKind::TokenSlice;
  l.hidden = first;
  l.out = {in.channels, tokens, 1};
  return append(std::move(l));
}

NetworkSpec NetworkBuilder::finish() && {
  if (current_ != static_cast<int>(spec_.layers.size()) - 1)
    throw Error("NetworkBuilder: the current tensor of '" + spec_.name + "' is not the last layer");
  return std::move(spec_);
}

}  // namespace nasctl
