#include "nasctl/train/optimiser.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <cmath>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::train {

namespace {

bool is_statistic(SharedTensorKind kind) {
  return kind == SharedTensorKind::BatchNormMean || kind == SharedTensorKind::BatchNormVariance;
}

// Once-for-All's no_decay_keys "bn#bias": batch-norm affine pairs and biases.
bool is_decayed(SharedTensorKind kind) {
  return kind == SharedTensorKind::ConvWeight || kind == SharedTensorKind::LinearWeight ||
         kind == SharedTensorKind::KernelTransform;
}

struct Parameter {
  std::string name;
  at::Tensor value;     // the super-network's tensor itself
  bool decay = false;
  at::Tensor first;     // SGD: momentum buffer; AdamW: exp_avg
  at::Tensor second;    // AdamW: exp_avg_sq
  int64_t steps = 0;    // AdamW: updates taken (PyTorch keeps one count per parameter)
};

}  // namespace

struct Optimiser::Impl {
  TrainOptions options;
  std::vector<Parameter> parameters;

  // torch.optim.SGD (dampening 0) over every parameter a sub-network of the
  // step reached, with ATen's multi-tensor (_foreach_) operations: one
  // kernel launch per operation for all of them on a GPU, where a launch
  // per tensor and operation would cost more than a small network's step.
  // The arithmetic is the per-tensor one, in the same order.
  void sgd_all(double lr) {
    std::vector<Parameter*> reached;
    for (Parameter& p : parameters)
      if (p.value.grad().defined()) reached.push_back(&p);
    if (reached.empty()) return;
    std::vector<at::Tensor> values, grads, decayed_values, decayed_grads;
    std::vector<std::size_t> decayed_at;
    for (std::size_t i = 0; i < reached.size(); ++i) {
      values.push_back(reached[i]->value);
      grads.push_back(reached[i]->value.grad());
      if (reached[i]->decay && options.weight_decay != 0.0) {
        decayed_at.push_back(i);
        decayed_values.push_back(reached[i]->value);
        decayed_grads.push_back(reached[i]->value.grad());
      }
    }
    if (!decayed_at.empty()) {
      const std::vector<at::Tensor> with_decay = at::_foreach_add(decayed_grads, decayed_values, options.weight_decay);
      for (std::size_t j = 0; j < decayed_at.size(); ++j) grads[decayed_at[j]] = with_decay[j];
    }
    std::vector<at::Tensor> updates = grads;
    if (options.momentum != 0.0) {
      // The first step's buffer is the gradient itself (a copy).
      std::vector<at::Tensor> buffers, buffer_grads;
      for (std::size_t i = 0; i < reached.size(); ++i) {
        if (!reached[i]->first.defined()) {
          reached[i]->first = grads[i].clone();
        } else {
          buffers.push_back(reached[i]->first);
          buffer_grads.push_back(grads[i]);
        }
      }
      if (!buffers.empty()) {
        at::_foreach_mul_(buffers, options.momentum);
        at::_foreach_add_(buffers, buffer_grads);
      }
      std::vector<at::Tensor> all_buffers;
      for (Parameter* p : reached) all_buffers.push_back(p->first);
      updates = options.nesterov ? at::_foreach_add(grads, all_buffers, options.momentum) : all_buffers;
    }
    at::_foreach_add_(values, updates, -lr);
  }

  void adamw(Parameter& p, double lr) const {
    const at::Tensor& g = p.value.grad();
    if (!p.first.defined()) {
      p.first = at::zeros_like(p.value);
      p.second = at::zeros_like(p.value);
    }
    ++p.steps;
    // Decoupled weight decay, before the moment update (torch.optim.AdamW).
    if (p.decay && options.weight_decay != 0.0) p.value.mul_(1.0 - lr * options.weight_decay);
    p.first.mul_(options.beta1).add_(g, 1.0 - options.beta1);
    p.second.mul_(options.beta2).addcmul_(g, g, 1.0 - options.beta2);
    const double correction1 = 1.0 - std::pow(options.beta1, static_cast<double>(p.steps));
    const double correction2 = 1.0 - std::pow(options.beta2, static_cast<double>(p.steps));
    const at::Tensor denominator = (p.second.sqrt() / std::sqrt(correction2)).add_(options.eps);
    p.value.addcdiv_(p.first, denominator, -lr / correction1);
  }
};

Optimiser::Optimiser(const supernet::SuperNetwork& net, const SearchSpace& space, const TrainOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  const auto* sharing = dynamic_cast<const WeightSharing*>(&space);
  if (!sharing)
    throw Error("the search space has no weight-sharing super-network (it does not implement nasctl::WeightSharing); "
                "fix: train a space that has one, e.g. ofa-mobilenetv3");
  const supernet::StateDict held = net.state_dict();
  for (const SharedTensor& described : sharing->shared_tensors()) {
    if (is_statistic(described.kind)) continue;  // running statistics are not learned
    Parameter p;
    p.name = described.name;
    p.value = held.at(described.name);
    p.value.requires_grad_(true);
    p.decay = is_decayed(described.kind);
    impl_->parameters.push_back(std::move(p));
  }
}

Optimiser::~Optimiser() = default;
Optimiser::Optimiser(Optimiser&&) noexcept = default;
Optimiser& Optimiser::operator=(Optimiser&&) noexcept = default;

void Optimiser::zero_grad() {
  for (Parameter& p : impl_->parameters) p.value.mutable_grad().reset();
}

void Optimiser::step(double lr) {
  c10::NoGradGuard no_grad;
  if (impl_->options.optimiser == OptimiserKind::Sgd) {
    impl_->sgd_all(lr);
    return;
  }
  for (Parameter& p : impl_->parameters) {
    if (p.value.grad().defined()) impl_->adamw(p, lr);
  }
}

std::vector<std::string> Optimiser::parameter_names() const {
  std::vector<std::string> names;
  for (const Parameter& p : impl_->parameters) names.push_back(p.name);
  return names;
}

std::vector<std::string> Optimiser::decayed_names() const {
  std::vector<std::string> names;
  for (const Parameter& p : impl_->parameters)
    if (p.decay) names.push_back(p.name);
  return names;
}

std::vector<supernet::StateDict> Optimiser::buffers() const {
  supernet::StateDict first, second;
  for (const Parameter& p : impl_->parameters) {
    if (p.first.defined()) first.set(p.name, p.first);
    if (p.second.defined()) second.set(p.name, p.second);
  }
  return {first, second};
}

supernet::StateDict Optimiser::state() const {
  supernet::StateDict state;
  for (const Parameter& p : impl_->parameters) {
    if (!p.first.defined()) continue;
    const std::string prefix = "optimiser." + p.name + ".";
    state.set(prefix + "first", p.first.detach().to(at::kCPU).clone());
    if (p.second.defined()) state.set(prefix + "second", p.second.detach().to(at::kCPU).clone());
    state.set(prefix + "steps", at::full({1}, p.steps, at::kLong));
  }
  return state;
}

void Optimiser::load_state(const supernet::StateDict& state, const std::string& origin) {
  c10::NoGradGuard no_grad;
  const bool adamw = impl_->options.optimiser == OptimiserKind::AdamW;
  for (Parameter& p : impl_->parameters) {
    const std::string prefix = "optimiser." + p.name + ".";
    const at::Tensor* first = state.find(prefix + "first");
    // A parameter no step has reached yet has no buffers.
    if (!first) continue;
    const at::Tensor* second = state.find(prefix + "second");
    const at::Tensor* steps = state.find(prefix + "steps");
    if (first->sizes() != p.value.sizes() || (adamw && (!second || second->sizes() != p.value.sizes())) || !steps)
      throw Error(origin + ": the optimiser state of '" + p.name +
                  "' is incomplete or of another shape; fix: resume from a state file this nasctl wrote for this "
                  "config, or start a new run");
    p.first = first->to(p.value.device(), at::kFloat).clone();
    if (second) p.second = second->to(p.value.device(), at::kFloat).clone();
    p.steps = steps->item<int64_t>();
  }
}

}  // namespace nasctl::train
