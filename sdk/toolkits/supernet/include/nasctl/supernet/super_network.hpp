// The weight-sharing engine. A SuperNetwork holds the largest tensors of a
// space's super-network once (the space describes them through its
// nasctl::WeightSharing face); activate(arch) yields the SubNetwork that
// lower(arch) describes, its tensors cut from the shared ones on every
// forward pass (slicing.hpp), so training the sub-network trains the
// super-network and many sub-networks cost one super-network's memory.
//
// LibTorch types are only declared here; code that passes tensors includes
// ATen itself. docs/supernet.md has the whole story.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "nasctl/architecture.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/supernet/state_dict.hpp"

namespace at {
class Tensor;
}

namespace nasctl {
class SearchSpace;
class WeightSharing;
}  // namespace nasctl

namespace nasctl::supernet {

class SubNetwork;

class SuperNetwork {
 public:
  // Fresh weights from `seed`, initialised as Once-for-All's init_model
  // ("he_fout") does: convolutions normal with std sqrt(2 / (out * k * k)),
  // linear weights uniform in +-1/sqrt(in), biases 0, batch norms 1/0 with
  // statistics 0/1, kernel transformation matrices the identity. On the CPU.
  // `space` must implement nasctl::WeightSharing (nasctl::Error otherwise)
  // and outlive this object.
  SuperNetwork(const SearchSpace& space, uint64_t seed);
  // The space's super-network with the weights of a torch.save checkpoint
  // (read_checkpoint, then load).
  static SuperNetwork from_checkpoint(const SearchSpace& space, const std::string& path);

  ~SuperNetwork();
  SuperNetwork(SuperNetwork&& other) noexcept;
  SuperNetwork& operator=(SuperNetwork&& other) noexcept;

  // Takes every tensor from `state` (keys as the space names them, or any
  // alias; a "module." prefix on every key, as DataParallel writes, is
  // dropped; PyTorch's batch-norm counters "*.num_batches_tracked" are not
  // needed). Throws nasctl::Error, one line naming `origin` (the file), for
  // keys the super-network does not have, missing keys (named), a tensor
  // whose shape differs (key and both shapes) or that is not floating
  // point; nothing is changed then.
  void load(const StateDict& state, const std::string& origin);
  // The held tensors themselves (not copies), under the space's names.
  StateDict state_dict() const;
  // write_checkpoint(state_dict(), path): torch.save's format, OFA's names.
  void save(const std::string& path) const;

  // Moves every tensor to `device` ("cpu", "cuda", "cuda:1"). Sub-networks
  // activated before follow (they cut their tensors from the shared ones
  // on each pass, and copy their re-calibrated statistics along); not safe
  // while another thread runs a forward pass. channels_last: 4-d tensors
  // are also laid out in channels-last order (libtorch::channels_last: on
  // CUDA NHWC strides, as PyTorch's model.to(memory_format=
  // torch.channels_last) gives, depthwise and 1x1 filters included), for
  // training on channels-last inputs: a weight cut from them keeps that
  // order, so a convolution need not transpose it on every pass. Values,
  // names and checkpoints (written contiguous) do not change.
  void to(const std::string& device, bool channels_last = false);

  // The sub-network lower(arch) describes. Throws nasctl::ArchitectureError
  // for an architecture the space does not hold or whose tensors do not fit
  // in the super-network's.
  SubNetwork activate(const Architecture& arch) const;

  // The space's one-line description of the super-network.
  const std::string& name() const;
  // Numbers held (parameters and statistics): the super-network's memory.
  int64_t element_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit SuperNetwork(std::unique_ptr<Impl> impl);
  // The space and the description of its tensors, not yet allocated.
  static std::unique_ptr<Impl> describe(const SearchSpace& space);
};

// One sub-network of a SuperNetwork. It keeps the super-network's tensors
// alive. Eval-mode forward passes only read them: several threads may run
// sub-networks of one super-network at once. Training-mode passes update
// the batch-norm running statistics they use in place (as Once-for-All's
// DynamicBatchNorm2d does), so run those one at a time.
class SubNetwork {
 public:
  ~SubNetwork();
  SubNetwork(SubNetwork&& other) noexcept;
  SubNetwork& operator=(SubNetwork&& other) noexcept;

  const NetworkSpec& spec() const;
  const Architecture& architecture() const;

  // Eval (default): batch norms use running statistics. Train: batch norms
  // normalise by the batch's mean and biased variance and update the
  // running statistics with momentum 0.1 (unbiased variance), as PyTorch's
  // BatchNorm2d does.
  void train(bool on = true);
  bool is_training() const;

  // input: [batch, C, H, W] with C, H, W = spec().input; returns the logits
  // ([batch, classes]) or the last layer's output. Throws nasctl::Error for
  // an input of another shape. Gradients reach the shared tensors when they
  // require them.
  at::Tensor forward(const at::Tensor& input);

  // The next batch of input images, or an undefined tensor when there are
  // no more.
  using BatchSource = std::function<at::Tensor()>;
  // Once-for-All's batch-norm re-calibration (set_running_statistics): one
  // pass over every batch `next_batch` gives, in which each batch norm
  // normalises by the batch's exact mean and biased variance; each batch
  // norm's running mean and variance then become the sample-size weighted
  // averages of those batch statistics (no momentum). The statistics belong
  // to this sub-network (the super-network is not changed, so sub-networks
  // re-calibrate side by side). No gradients. Returns the number of images
  // seen; throws nasctl::Error when there were none.
  int64_t recalibrate_batch_norm(const BatchSource& next_batch);
  bool recalibrated() const;

  // Evaluation speed: cuts (and kernel-transforms) every tensor once and
  // keeps the results, so that eval-mode passes and re-calibration stop
  // cutting on every pass (on CUDA each cut view a convolution reads is
  // copied to a contiguous tensor, and each elastic kernel is a matrix
  // product, per layer and per pass). channels_last: 4-d weights are kept
  // in channels-last order, for channels-last inputs (as PyTorch's
  // model.to(memory_format=torch.channels_last)). The copies are the
  // sub-network's, on the super-network's device at the time of the call:
  // they go stale when the shared weights change (training) and are not
  // used once the super-network has moved to another device (call again).
  // Training-mode passes and state_dict() never use them. Returns the bytes
  // the copies hold (about 4 bytes per parameter of the sub-network).
  int64_t cache_tensors(bool channels_last = false);
  void drop_cached_tensors();
  bool has_cached_tensors() const;

  // The sub-network as a stand-alone network: copies of its tensors, cut and
  // transformed, with the re-calibrated statistics if any, named as
  // nasctl::libtorch::EagerNetwork(spec()) names its own ("l<layer>_<role>",
  // nasctl::to_string(TensorRole)). standalone.hpp builds that network.
  StateDict state_dict() const;
  // Elements of its parameters (batch-norm statistics excluded): equals
  // nasctl::count_cost(spec()).params.
  int64_t parameter_count() const;

 private:
  friend class SuperNetwork;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit SubNetwork(std::unique_ptr<Impl> impl);
};

}  // namespace nasctl::supernet
