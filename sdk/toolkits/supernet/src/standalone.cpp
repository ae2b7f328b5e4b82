#include "nasctl/supernet/standalone.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <string>

#include "nasctl/error.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/eager_network.hpp"

namespace nasctl::supernet {

namespace {

std::string shape_text(at::IntArrayRef shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

}  // namespace

void copy_weights(const SubNetwork& sub, libtorch::EagerNetwork& net) {
  const StateDict state = sub.state_dict();
  c10::NoGradGuard no_grad;
  std::size_t copied = 0;
  auto copy = [&](const std::string& name, at::Tensor& target) {
    const at::Tensor* source = state.find(name);
    if (!source)
      throw Error("sub-network '" + sub.spec().name + "': the stand-alone network has tensor '" + name +
                  "', which the sub-network lacks; fix: build the stand-alone network from the sub-network's spec()");
    if (source->sizes() != target.sizes())
      throw Error("sub-network '" + sub.spec().name + "': tensor '" + name + "' is " + shape_text(source->sizes()) +
                  " in the sub-network but " + shape_text(target.sizes()) +
                  " in the stand-alone network; fix: build the stand-alone network from the sub-network's spec()");
    target.copy_(*source);
    ++copied;
  };
  for (auto& item : net.named_parameters()) copy(item.key(), item.value());
  for (auto& item : net.named_buffers()) copy(item.key(), item.value());
  if (copied != state.size())
    throw Error("sub-network '" + sub.spec().name + "': the stand-alone network holds " + std::to_string(copied) +
                " of its " + std::to_string(state.size()) +
                " tensors; fix: build the stand-alone network from the sub-network's spec()");
}

std::shared_ptr<libtorch::EagerNetwork> standalone_network(const SubNetwork& sub) {
  // The seed only fills tensors that copy_weights overwrites at once.
  auto net = std::make_shared<libtorch::EagerNetwork>(sub.spec(), /*seed=*/0);
  copy_weights(sub, *net);
  net->eval();
  return net;
}

}  // namespace nasctl::supernet
