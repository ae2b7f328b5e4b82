#include "supernet_source.hpp"

#include <chrono>
#include <cstdio>
#include <set>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/latency.hpp"
#include "nasctl/torch/steady_heap.hpp"
#include "sha256.hpp"
#include "supernet_log.hpp"

namespace nasctl::accuracy::supernet {

namespace {

std::string shape_text(const TensorShape& s) {
  return std::to_string(s.channels) + " x " + std::to_string(s.height) + " x " + std::to_string(s.width);
}

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", seconds);
  return buf;
}

// The distinct networks' input shapes and output sizes of `space`: every
// choice of every variable, the others at their first choice (a space's
// resolution is one variable, or none). Combinations the space refuses are
// skipped.
struct SpaceShapes {
  std::set<std::pair<int64_t, int64_t>> inputs;  // (channels, height) of square inputs
  std::set<int64_t> classes;
  std::string example;  // an architecture and its input, for messages
};

SpaceShapes shapes_of(const SearchSpace& space) {
  SpaceShapes out;
  const auto& variables = space.variables();
  Architecture base(variables.size(), 0);
  for (std::size_t v = 0; v <= variables.size(); ++v) {
    const int choices = v < variables.size() ? variables[v].cardinality() : 1;
    for (int c = 0; c < choices; ++c) {
      Architecture arch = base;
      if (v < variables.size()) arch[v] = c;
      try {
        space.check(arch);
        const NetworkSpec spec = space.lower(arch);
        out.inputs.insert({spec.input.channels, spec.input.height});
        out.classes.insert(spec.output().channels);
        if (spec.input.height != spec.input.width)
          throw ConfigError("architecture " + space.to_string(arch) + " takes " + shape_text(spec.input) +
                            " inputs; fix: the supernet source reads square images only");
      } catch (const ArchitectureError&) {
        continue;
      }
    }
  }
  return out;
}

}  // namespace

std::vector<ConfigKey> SupernetSource::config_keys() {
  std::vector<ConfigKey> keys{
      ConfigKey::optional("checkpoint", ConfigType::Path,
                          "The super-network's weights: a torch.save file (e.g. Once-for-All's "
                          "ofa_mbv3_d234_e346_k357_w1.0) of the configured space, width and number of classes. "
                          "Absent: only a staged search that trains each stage (hurricane) can use the source; it "
                          "starts from seeded initial weights"),
      ConfigKey::needed("dataset", ConfigType::String,
                        "\"fashion-mnist\" (Debian's dataset-fashion-mnist), or an image folder in the ImageNet "
                        "layout (one sub-folder per class)"),
      ConfigKey::string("fashion_mnist_folder", "/usr/share/datasets/fashion-mnist",
                        "Where the Fashion-MNIST idx files are (dataset = \"fashion-mnist\")"),
      ConfigKey::string("calibration_folder", "",
                        "An image folder to draw the re-calibration images from (e.g. ImageNet's train/ when "
                        "dataset is val/); empty: the training part of dataset"),
      ConfigKey::integer("validation_split", 10000,
                         "Images of dataset set aside as the validation split (seeded by split_seed); the rest is "
                         "the training part. 0: all of an image folder is validation (needs calibration_folder)")
          .at_least(0),
      ConfigKey::integer("split_seed", 0, "Seed of the validation split").at_least(0),
      ConfigKey::choice("split", "validation", {"validation", "test"},
                        "What architectures are scored on: \"validation\" (the split above; what a search must "
                        "use), or \"test\" (Fashion-MNIST's 10,000 test images: the final figure of a chosen "
                        "network, never a search's objective)"),
      ConfigKey::integer("validation_images", 0,
                         "Validation images each architecture is scored on: a subset of the split drawn with seed; "
                         "0: the whole split")
          .at_least(0),
      ConfigKey::integer("calibration_images", 2000,
                         "Training images batch-norm statistics are re-calibrated on (Once-for-All: 2000), a fixed "
                         "subset drawn with seed")
          .at_least(1),
      ConfigKey::integer("calibration_batch", 200,
                         "Images per re-calibration batch (Once-for-All: 200); each batch's exact mean and "
                         "variance are averaged")
          .at_least(1),
      ConfigKey::integer("batch_size", 200, "Images per validation batch (does not change the results)").at_least(1),
      ConfigKey::integer("seed", 0,
                         "Seed of the calibration subset and of the validation subset (the same for every "
                         "architecture and every run, unlike the run's seed)")
          .at_least(0),
      ConfigKey::choice("device", "cpu", {"cpu", "cuda"},
                        "Where sub-networks run: \"cpu\", or \"cuda\" (needs nasctl built against a CUDA "
                        "LibTorch and a GPU)"),
      ConfigKey::boolean("channels_last", false, "Feed images in channels-last memory order (faster on some GPUs)"),
      ConfigKey::boolean("bf16", false,
                         "CUDA only: validation passes under autocast to bfloat16 (re-calibration stays float32)"),
      ConfigKey::integer("loader_threads", 1, "Threads decoding images per read of an image folder; 0: one per core")
          .at_least(0),
  };
  for (ConfigKey& key : subspace_training_keys()) keys.push_back(std::move(key));
  return keys;
}

SupernetSource::SupernetSource(const PluginContext& context)
    : who_("supernet '" + context.instance + "'"),
      config_(context.config),
      checkpoint_(context.config.has("checkpoint") ? context.config.get_path("checkpoint") : std::string()),
      run_seed_(context.seed),
      trainer_(config_, who_, context.seed) {
  pass_.device = config_.get_string("device");
  pass_.channels_last = config_.get_bool("channels_last");
  pass_.bf16 = config_.get_bool("bf16");
  pass_.calibration_batch = static_cast<std::size_t>(config_.get_int("calibration_batch"));
  pass_.batch_size = static_cast<std::size_t>(config_.get_int("batch_size"));
  if (pass_.bf16 && pass_.device != "cuda")
    config_.fail("bf16", "bfloat16 autocast is for device = \"cuda\"; fix: set device = \"cuda\" or bf16 = false");
  if (pass_.device == "cuda") {
    const std::string why = libtorch::cuda_unavailable_reason();
    if (!why.empty()) config_.fail("device", "\"cuda\" cannot be used: " + why);
  }
  data_ = open_evaluation_data(config_);
}

SupernetSource::~SupernetSource() = default;

std::vector<MetricInfo> SupernetSource::metrics() const {
  return {{"top1", "%", "top-1 accuracy on the validation images after batch-norm re-calibration"},
          {"top5", "%", "top-5 accuracy on the validation images after batch-norm re-calibration"},
          {"loss", "nats", "mean cross-entropy on the validation images"}};
}

void SupernetSource::check_inputs(const SearchSpace& space) const {
  const SpaceShapes shapes = shapes_of(space);
  const datasets::Dataset& validation = *data_.validation;
  const std::string classes = std::to_string(validation.classes().size());
  for (const int64_t c : shapes.classes) {
    if (c != static_cast<int64_t>(validation.classes().size()))
      config_.fail("dataset", validation.description() + " has " + classes + " classes, but the networks of " +
                                  net_->name() + " give " + std::to_string(c) +
                                  " logits; fix: evaluate on a dataset of the checkpoint's classes");
  }
  for (const auto& [channels, resolution] : shapes.inputs) {
    datasets::ImageShape shape;
    try {
      shape = validation.input_shape(static_cast<int>(resolution));
      data_.calibration->input_shape(static_cast<int>(resolution));
    } catch (const Error& e) {
      config_.fail("dataset", std::string(e.what()) + " (the space's networks take " + std::to_string(channels) +
                                  " x " + std::to_string(resolution) + " x " + std::to_string(resolution) + ")");
    }
    if (shape.channels != channels)
      config_.fail("dataset", validation.description() + " gives " + std::to_string(shape.channels) +
                                  "-channel images, but the space's networks take " + std::to_string(channels) +
                                  " channels; fix: use a dataset of " + std::to_string(channels) +
                                  "-channel images or configure the space for this one");
  }
}

void SupernetSource::prepare(const SearchSpace& space) {
  const auto start = std::chrono::steady_clock::now();
  // Every evaluation allocates the same batch activations again: without
  // this, glibc maps and unmaps them per batch (10x the CPU time measured).
  nasctl::libtorch::keep_freed_memory_mapped();
  try {
    if (checkpoint_.empty()) {
      // Placeholder weights, never measured through: a staged search trains
      // each sub-space before its first evaluation.
      net_ = std::make_unique<nasctl::supernet::SuperNetwork>(space, run_seed_);
    } else {
      net_ = std::make_unique<nasctl::supernet::SuperNetwork>(
          nasctl::supernet::SuperNetwork::from_checkpoint(space, checkpoint_));
      checkpoint_sha256_ = sha256_of_file(checkpoint_);
      weights_ = checkpoint_;
    }
  } catch (const Error& e) {
    net_.reset();
    config_.fail("checkpoint", e.what());
  }
  check_inputs(space);
  if (pass_.device != "cpu") net_->to(pass_.device);
  prepared_ = &space;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log_info(who_ + ": " + net_->name() + " from " +
           (checkpoint_.empty() ? std::string("no checkpoint (each stage of the search trains its own)")
                                : checkpoint_ + " (sha256 " + checkpoint_sha256_ + ")") +
           ", " + std::to_string(net_->element_count()) + " numbers, on " + pass_.device + " in " +
           seconds_text(seconds) +
           " s; re-calibration on " + data_.calibration->description() + "; validation on " +
           data_.validation->description());
}

void SupernetSource::enter_subspace(const SubSpace& subspace, const std::string& run_dir) {
  if (!prepared_) throw EvaluationError(who_ + ": a sub-space was entered before prepare(); fix: report this bug");
  if (subspace.train_epochs == 0) {
    if (weights_.empty())
      config_.fail("checkpoint", "is not given and sub-space '" + subspace.name +
                                     "' asks for no training (0 epochs), so there are no trained weights to search; "
                                     "fix: give checkpoint = FILE, or let the search train the stage (e.g. "
                                     "search.stage1_epochs = 5)");
    log_info(who_ + ": sub-space '" + subspace.name + "': no training asked for; measuring through " + weights_);
    subspace_conditions_["subspace." + subspace.name + ".checkpoint"] = weights_;
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  const SubspaceTraining trained = trainer_.train(*prepared_, subspace, data_, pass_, weights_, run_dir);
  auto net = std::make_unique<nasctl::supernet::SuperNetwork>(
      nasctl::supernet::SuperNetwork::from_checkpoint(*prepared_, trained.checkpoint));
  if (pass_.device != "cpu") net->to(pass_.device);
  net_ = std::move(net);
  weights_ = trained.checkpoint;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    cache_.clear();  // numbers measured through the previous weights
  }
  const std::string sha256 = sha256_of_file(trained.checkpoint);
  const std::string prefix = "subspace." + subspace.name + ".";
  subspace_conditions_[prefix + "checkpoint"] = trained.checkpoint;
  subspace_conditions_[prefix + "checkpoint_sha256"] = sha256;
  subspace_conditions_[prefix + "epochs"] = std::to_string(trained.epochs);
  subspace_conditions_[prefix + "epochs_trained_by_this_session"] = std::to_string(trained.trained_now);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log_info(who_ + ": sub-space '" + subspace.name + "': measuring through " + trained.checkpoint + " (sha256 " +
           sha256 + ") after " + seconds_text(seconds) + " s");
}

Scores SupernetSource::measure(const Candidate& candidate) {
  nasctl::supernet::SubNetwork sub = [&] {
    try {
      return net_->activate(candidate.arch);
    } catch (const Error& e) {
      throw EvaluationError(who_ + ": " + e.what());
    }
  }();
  const int resolution = static_cast<int>(candidate.network.input.height);
  std::unique_lock<std::mutex> turn(device_mutex_, std::defer_lock);
  if (pass_.device != "cpu") turn.lock();
  try {
    return score_sub_network(sub, *data_.calibration, *data_.validation, resolution, pass_);
  } catch (const Error& e) {
    throw EvaluationError(who_ + ": " + candidate.canonical + ": " + e.what());
  }
}

Metrics SupernetSource::evaluate(const Candidate& candidate) {
  check_prepared(prepared_, candidate.space, who_);
  if (weights_.empty())
    throw EvaluationError(who_ + ": key 'checkpoint' is not given and no stage of a staged search has trained the "
                             "super-network, so there are no trained weights to measure " + candidate.canonical +
                      " with; fix: give checkpoint = FILE, or search with a strategy that trains each stage "
                      "(search.plugin = \"hurricane\")");
  std::promise<Scores> promise;
  std::shared_future<Scores> result;
  bool mine = false;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = cache_.find(candidate.canonical);
    if (it == cache_.end()) {
      result = promise.get_future().share();
      cache_.emplace(candidate.canonical, result);
      mine = true;
    } else {
      result = it->second;
    }
  }
  if (mine) {
    try {
      promise.set_value(measure(candidate));
      std::lock_guard<std::mutex> lock(cache_mutex_);
      ++measured_;
    } catch (...) {
      // Not cached: a later request tries again (and gets the same error).
      promise.set_exception(std::current_exception());
      std::lock_guard<std::mutex> lock(cache_mutex_);
      cache_.erase(candidate.canonical);
    }
  }
  const Scores& s = result.get();
  return {{"top1", s.top1_percent()}, {"top5", s.top5_percent()}, {"loss", s.loss()}};
}

std::int64_t SupernetSource::measured() const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return measured_;
}

Conditions SupernetSource::conditions() const {
  Conditions c = data_.conditions;
  c["checkpoint"] = checkpoint_.empty() ? "(none: seeded initial weights, trained per sub-space)" : checkpoint_;
  for (const auto& [key, value] : subspace_conditions_) c[key] = value;
  c["calibration_batch"] = std::to_string(pass_.calibration_batch);
  c["batch_size"] = std::to_string(pass_.batch_size);
  c["device"] = pass_.device;
  c["dtype"] = pass_.bf16 ? "bfloat16 autocast (validation), float32 (re-calibration)" : "float32";
  c["channels_last"] = pass_.channels_last ? "true" : "false";
  c["loader_threads"] = std::to_string(config_.get_int("loader_threads"));
  c["torch"] = libtorch::torch_version();
  if (!prepared_) return c;
  c["checkpoint_sha256"] = checkpoint_sha256_;
  c["supernet"] = net_->name();
  c["supernet_numbers"] = std::to_string(net_->element_count());
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    c["sub_networks_measured"] = std::to_string(measured_);
  }
  return c;
}

}  // namespace nasctl::accuracy::supernet
