#include "nasctl/lut/layer_network.hpp"

#include <algorithm>
#include <unordered_set>

#include "nasctl/error.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/rng.hpp"

namespace nasctl::lut {

NetworkSpec isolated_network(const Layer& layer) {
  NetworkSpec spec;
  spec.name = "lut:" + layer.key();
  spec.input = layer.in;
  Layer alone = layer;
  const std::size_t n = std::max<std::size_t>(1, layer.inputs.size());
  if (layer.op == OpKind::Attention && layer.hidden != layer.in.height) {
    // Cross-attention: queries and keys differ in length, and a network has
    // one input. The input holds Tq + Tk token ids; two vocabulary-1
    // embeddings make q and k = v from it. Their cost (a gather and an add
    // per element) is in the entry, as the slices of an uneven concat are.
    const int64_t tq = layer.in.height, tk = layer.hidden, d = layer.in.channels;
    spec.input = TensorShape{1, tq + tk, 1};
    for (int64_t part = 0; part < 2; ++part) {
      Layer embed;
      embed.op = OpKind::Embedding;
      embed.inputs = {kNetworkInput};
      embed.in = spec.input;
      embed.hidden = 1;
      embed.padding = static_cast<int>(part ? tq : 0);
      embed.out = TensorShape{d, part ? tk : tq, 1};
      spec.layers.push_back(std::move(embed));
    }
    alone.inputs = {0, 1, 1};
    spec.layers.push_back(std::move(alone));
    check_network(spec);
    return spec;
  }
  const bool uneven_concat = layer.op == OpKind::Concat && layer.out.channels != static_cast<int64_t>(n) * layer.in.channels;
  if (!uneven_concat) {
    alone.inputs.assign(n, kNetworkInput);
    spec.layers.push_back(std::move(alone));
    check_network(spec);
    return spec;
  }
  // The first input has layer.in's width; the others share the rest.
  const int64_t rest = layer.out.channels - layer.in.channels;
  const int64_t others = static_cast<int64_t>(n) - 1;
  if (n < 2 || rest < others)
    throw Error("lut: concat '" + layer.key() + "' cannot be isolated: its output is narrower than its inputs; fix: "
                "check the space's lower()");
  spec.input = TensorShape{layer.out.channels, layer.in.height, layer.in.width};
  int64_t offset = 0;
  alone.inputs.clear();
  for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
    Layer slice;
    slice.op = OpKind::ChannelSlice;
    slice.inputs = {kNetworkInput};
    slice.in = spec.input;
    const int64_t width = i == 0 ? layer.in.channels : rest / others + (i - 1 < rest % others ? 1 : 0);
    slice.out = TensorShape{width, layer.in.height, layer.in.width};
    slice.hidden = offset;
    offset += width;
    alone.inputs.push_back(static_cast<int>(spec.layers.size()));
    spec.layers.push_back(std::move(slice));
  }
  spec.layers.push_back(std::move(alone));
  check_network(spec);
  return spec;
}

LayerEnumeration enumerate_layers(const SearchSpace& space, std::size_t samples, uint64_t seed) {
  LayerEnumeration out;
  if (const auto* enumerable = dynamic_cast<const LayerEnumerable*>(&space)) {
    out.layers = enumerable->distinct_layers();
    out.exact = true;
    return out;
  }
  Rng rng(seed);
  std::unordered_set<std::string> seen;
  const std::size_t late_start = samples - samples / 10;
  for (std::size_t i = 0; i < samples; ++i) {
    for (Layer& layer : space.lower(space.sample(rng)).layers) {
      if (!seen.insert(layer.key()).second) continue;
      if (i >= late_start) ++out.late_discoveries;
      out.layers.push_back(std::move(layer));
    }
  }
  out.samples = samples;
  return out;
}

}  // namespace nasctl::lut
