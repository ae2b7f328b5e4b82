// Gradient steps on a super-network's shared tensors: SGD with momentum
// (Nesterov optional) or AdamW, with PyTorch's update rules
// (torch.optim.SGD, torch.optim.AdamW). Which tensors it steps and which it
// decays follows each shared tensor's SharedTensorKind: batch-norm running
// statistics are not parameters and stay out; batch-norm scales and shifts
// and biases are stepped without weight decay (Once-for-All's
// no_decay_keys "bn#bias"); convolution and linear weights and the elastic
// kernels' transformation matrices are decayed. Its state (momentum or the
// moment estimates and step counts) is a StateDict, so a resumed run
// continues exactly. LibTorch types are only declared here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/supernet/state_dict.hpp"
#include "nasctl/train/options.hpp"

namespace nasctl {
class SearchSpace;
}

namespace nasctl::supernet {
class SuperNetwork;
}

namespace nasctl::train {

class Optimiser {
 public:
  // Takes the parameters of `net` (a super-network of `space`, on its
  // final device) and makes them require gradients.
  Optimiser(const supernet::SuperNetwork& net, const SearchSpace& space, const TrainOptions& options);
  ~Optimiser();
  Optimiser(Optimiser&&) noexcept;
  Optimiser& operator=(Optimiser&&) noexcept;

  // Forgets every gradient (sets it undefined, as PyTorch's
  // zero_grad(set_to_none=True)): a tensor no sub-network of the step used
  // is then not stepped at all.
  void zero_grad();
  // One update of every parameter that has a gradient, at learning rate `lr`.
  void step(double lr);

  // Names of the parameters it steps, and of those it decays.
  std::vector<std::string> parameter_names() const;
  std::vector<std::string> decayed_names() const;

  // The buffers themselves (not copies), each under its parameter's name:
  // one StateDict per kind (SGD: the momentum; AdamW: the first moments,
  // then the second), without the parameters no step reached yet. For
  // reorderings that must move a buffer with its parameter's entries
  // (channel sorting).
  std::vector<supernet::StateDict> buffers() const;

  // Its state under "optimiser.<parameter>.<buffer>" names (on the CPU), and
  // back. load_state throws nasctl::Error naming `origin` when a buffer is
  // missing or has another shape.
  supernet::StateDict state() const;
  void load_state(const supernet::StateDict& state, const std::string& origin);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nasctl::train
