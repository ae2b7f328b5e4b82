#include "shared_store.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "nasctl/error.hpp"

namespace nasctl::supernet::detail {

namespace {

// The rank a kind of tensor has, and every dimension positive.
bool well_formed(const SharedTensor& t) {
  for (int64_t d : t.shape) {
    if (d <= 0) return false;
  }
  switch (t.kind) {
    case SharedTensorKind::ConvWeight: return t.shape.size() == 4 && t.shape[2] == t.shape[3];
    case SharedTensorKind::LinearWeight: return t.shape.size() == 2;
    case SharedTensorKind::KernelTransform: return t.shape.size() == 2 && t.shape[0] == t.shape[1];
    default: return t.shape.size() == 1;
  }
}

}  // namespace

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

SharedStore describe_store(const WeightSharing& sharing) {
  SharedStore store;
  store.name = sharing.supernet_name();
  store.described = sharing.shared_tensors();
  for (std::size_t i = 0; i < store.described.size(); ++i) {
    const SharedTensor& t = store.described[i];
    if (!well_formed(t))
      throw Error(store.name + ": the space describes shared tensor '" + t.name + "' with shape " +
                  shape_text(t.shape) + ", which its kind cannot have; fix: this is a bug in the space plugin, "
                  "report it");
    auto add = [&](const std::string& key) {
      if (!store.by_name.emplace(key, static_cast<int>(i)).second)
        throw Error(store.name + ": the space names two shared tensors '" + key +
                    "'; fix: this is a bug in the space plugin, report it");
    };
    add(t.name);
    for (const std::string& alias : t.aliases) add(alias);
  }
  return store;
}

void initialise_store(SharedStore& store, uint64_t seed) {
  c10::NoGradGuard no_grad;
  at::Generator gen = at::detail::createCPUGenerator(seed);
  store.tensors.clear();
  store.tensors.reserve(store.described.size());
  for (const SharedTensor& t : store.described) {
    at::Tensor value = at::empty(t.shape, at::kFloat);
    switch (t.kind) {
      case SharedTensorKind::ConvWeight: {
        // he_fout: n = k * k * out channels.
        const double fan_out = static_cast<double>(t.shape[0] * t.shape[2] * t.shape[3]);
        value.normal_(0.0, std::sqrt(2.0 / fan_out), gen);
        break;
      }
      case SharedTensorKind::LinearWeight: {
        const double bound = 1.0 / std::sqrt(static_cast<double>(t.shape[1]));
        value.uniform_(-bound, bound, gen);
        break;
      }
      case SharedTensorKind::Bias:
      case SharedTensorKind::BatchNormShift:
      case SharedTensorKind::BatchNormMean:
        value.zero_();
        break;
      case SharedTensorKind::BatchNormScale:
      case SharedTensorKind::BatchNormVariance:
        value.fill_(1.0);
        break;
      case SharedTensorKind::KernelTransform:
        value = at::eye(t.shape[0], at::kFloat);
        break;
    }
    store.tensors.push_back(value);
  }
}

}  // namespace nasctl::supernet::detail
