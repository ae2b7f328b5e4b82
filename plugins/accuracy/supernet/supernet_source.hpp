// Accuracy source "supernet": each architecture measured as a sub-network of
// a trained weight-sharing super-network (a torch.save checkpoint, e.g.
// Once-for-All's), the way Once-for-All evaluates its sub-networks:
// batch-norm statistics re-calibrated on a fixed, seeded subset of training
// images (2,000 in batches of 200 by default: exact per-batch mean and
// biased variance, averaged), then top-1, top-5 and cross-entropy on the
// validation images, at the architecture's own input resolution.
//
// The datasets are opened and checked at construction; the checkpoint is
// loaded against the session's space in prepare(), where a checkpoint of
// another space, width or number of classes, a damaged file, missing keys
// and a dataset the networks cannot read (channels, resolution, classes) are
// one-line ConfigErrors naming the key. The super-network is held once;
// every evaluation activates a sub-network of it, which shares its tensors.
//
// Threads: evaluate() may run on several evaluation threads at once. On the
// CPU they run side by side (eval passes only read the super-network; each
// sub-network owns its re-calibrated statistics; each read has its own
// batch stream). On CUDA they take turns (one mutex): one GPU gains nothing
// from interleaved evaluations and each would hold a batch's activations.
// Results are cached by canonical architecture: a repeated architecture
// returns the numbers of its first evaluation without computing again, and
// concurrent requests for one architecture compute it once.
//
// Staged searches (HURRICANE's, nasctl/subspace.hpp): enter_subspace()
// trains the sub-space's super-network through nasctl::train
// (subspace_training.hpp), from the weights the source holds (`checkpoint`,
// a previous sub-space's, or seeded initial weights when there is neither),
// and every evaluation after it measures through the trained checkpoint
// (<run>/subspaces/<name>/checkpoint.pt); the cache starts empty for each
// sub-space. Without `checkpoint`, only a staged search that trains can use
// the source.
#pragma once

#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "evaluation_data.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/subspace.hpp"
#include "sub_network_scores.hpp"
#include "subspace_training.hpp"

namespace nasctl::supernet {
class SuperNetwork;
}

namespace nasctl::accuracy::supernet {

class SupernetSource : public AccuracySource, public SubspaceAware {
 public:
  explicit SupernetSource(const PluginContext& context);
  ~SupernetSource() override;

  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const Candidate& candidate) override;
  Conditions conditions() const override;
  // Loads the checkpoint as `space`'s super-network, checks that the
  // datasets serve its networks' inputs and classes, hashes the file.
  void prepare(const SearchSpace& space) override;
  // Trains (or resumes, or reuses) the sub-space's super-network in
  // <run_dir>/subspaces/<name>/ and measures through it from now on.
  void enter_subspace(const SubSpace& subspace, const std::string& run_dir) override;

  // Sub-networks actually measured (cache misses), for tests and logs.
  std::int64_t measured() const;
  // The super-network (after prepare()).
  const nasctl::supernet::SuperNetwork& super_network() const { return *net_; }
  // The checkpoint evaluations measure through now (empty: none yet).
  const std::string& weights() const { return weights_; }

 private:
  Scores measure(const Candidate& candidate);
  void check_inputs(const SearchSpace& space) const;

  std::string who_;       // "supernet '<instance>'"
  PluginConfig config_;   // for one-line errors naming a key after construction
  std::string checkpoint_;  // the `checkpoint` key; empty when absent
  std::string weights_;     // the checkpoint net_ holds: checkpoint_ or a sub-space's; empty: untrained
  uint64_t run_seed_ = 0;
  SubspaceTrainer trainer_;
  Conditions subspace_conditions_;  // per sub-space entered: its checkpoint, digest, epochs
  PassOptions pass_;
  EvaluationData data_;
  const SearchSpace* prepared_ = nullptr;
  std::unique_ptr<nasctl::supernet::SuperNetwork> net_;
  std::string checkpoint_sha256_;

  mutable std::mutex cache_mutex_;
  std::map<std::string, std::shared_future<Scores>> cache_;  // by canonical architecture
  std::int64_t measured_ = 0;
  std::mutex device_mutex_;  // CUDA evaluations take turns
};

}  // namespace nasctl::accuracy::supernet
