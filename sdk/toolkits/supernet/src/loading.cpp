// SuperNetwork::load's matching of a checkpoint's keys to the shared
// tensors: every check first, then the copy, so a bad file changes nothing.
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "sub_network_impl.hpp"

namespace nasctl::supernet::detail {

namespace {

// PyTorch's batch-norm counter: only BatchNorm2d(momentum=None) reads it,
// and Once-for-All's batch norms have momentum 0.1.
bool is_batch_counter(const std::string& key) {
  const std::string suffix = ".num_batches_tracked";
  return key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "'a', 'b', 'c' and 4 more"
std::string name_list(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 5;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) out += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > kShown) out += " and " + std::to_string(names.size() - kShown) + " more";
  return out;
}

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

void load_store(SharedStore& store, const StateDict& state, const std::string& origin) {
  const std::vector<std::string>& names = state.names();
  // nn.DataParallel saves every key with "module." in front.
  const std::string wrapper = "module.";
  bool wrapped = !names.empty();
  for (const std::string& name : names) wrapped = wrapped && name.compare(0, wrapper.size(), wrapper) == 0;

  std::vector<int> entry_of(store.described.size(), -1);
  std::vector<std::string> unknown;
  std::size_t matched = 0;
  for (std::size_t e = 0; e < names.size(); ++e) {
    const std::string key = wrapped ? names[e].substr(wrapper.size()) : names[e];
    if (is_batch_counter(key)) continue;
    const int index = store.find(key);
    if (index < 0) {
      unknown.push_back(names[e]);
      continue;
    }
    if (entry_of[index] >= 0)
      throw Error(origin + ": '" + names[entry_of[index]] + "' and '" + names[e] + "' are both tensor '" +
                  store.described[index].name + "' of the " + store.name +
                  " (one is an older name of the other); fix: keep one of them in the checkpoint");
    entry_of[index] = static_cast<int>(e);
    ++matched;
  }
  if (!unknown.empty() && matched == 0)
    throw Error(origin + ": holds none of the tensors of the " + store.name + ", only others such as " +
                name_list(unknown) +
                "; fix: use a checkpoint of this super-network, or configure the space the checkpoint belongs to");
  if (!unknown.empty())
    throw Error(origin + ": holds " + plural(unknown.size(), "tensor") + " the " + store.name + " does not have: " +
                name_list(unknown) +
                "; fix: use a checkpoint of exactly this super-network (same space, kernel, expand and depth choices)");

  std::vector<std::string> missing;
  for (std::size_t i = 0; i < entry_of.size(); ++i) {
    if (entry_of[i] < 0) missing.push_back(store.described[i].name);
  }
  if (!missing.empty())
    throw Error(origin + ": lacks " + plural(missing.size(), "tensor") + " of the " + store.name + ": " +
                name_list(missing) + "; fix: use a complete checkpoint (the whole state_dict() of the super-network)");

  for (std::size_t i = 0; i < entry_of.size(); ++i) {
    const std::string& name = names[entry_of[i]];
    const at::Tensor& t = state.at(name);
    const std::vector<int64_t>& expected = store.described[i].shape;
    if (t.sizes().vec() != expected)
      throw Error(origin + ": '" + name + "' has shape " + shape_text(t.sizes().vec()) + ", but the " + store.name +
                  " needs " + shape_text(expected) +
                  "; fix: configure the space as the checkpoint was trained (width, number of classes, input "
                  "channels) or use a checkpoint of this configuration");
    if (!t.is_floating_point())
      throw Error(origin + ": '" + name + "' holds " + std::string(c10::toString(t.scalar_type())) +
                  " values, not floating point; fix: use a checkpoint of this super-network's weights");
  }

  c10::NoGradGuard no_grad;
  const bool allocated = store.tensors.size() == store.described.size();
  if (!allocated) store.tensors.assign(store.described.size(), at::Tensor());
  for (std::size_t i = 0; i < entry_of.size(); ++i) {
    const at::Tensor& t = state.at(names[entry_of[i]]);
    if (allocated)
      store.tensors[i].copy_(t);
    else
      store.tensors[i] = t.to(at::kFloat).contiguous().clone();
  }
}

}  // namespace nasctl::supernet::detail
