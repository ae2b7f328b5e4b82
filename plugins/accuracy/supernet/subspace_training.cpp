#include "subspace_training.hpp"

#include <cstdio>
#include <filesystem>
#include <map>

#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/train/elastic.hpp"
#include "nasctl/train/trainer.hpp"
#include "supernet_log.hpp"

namespace nasctl::accuracy::supernet {

namespace fs = std::filesystem;

std::vector<ConfigKey> subspace_training_keys() {
  return {
      ConfigKey::real("train_lr", 0.05,
                      "Sub-space training (a staged search such as hurricane): peak learning rate (> 0) of each "
                      "stage's schedule (warm-up, then cosine to 0)")
          .at_least(0),
      ConfigKey::real("train_warmup_epochs", 0.0, "Sub-space training: linear warm-up from 0 to train_lr, in epochs")
          .at_least(0),
      ConfigKey::integer("train_batch_size", 64, "Sub-space training: images per step").at_least(1),
      ConfigKey::choice("train_sampler", "spos", {"spos", "sandwich"},
                        "Sub-space training: \"spos\" one sub-network of the sub-space drawn uniformly per step "
                        "(single-path one-shot, HURRICANE's choice), \"sandwich\" its largest, smallest and two "
                        "random ones, distilled from the largest"),
      ConfigKey::choice("train_optimizer", "sgd", {"sgd", "adamw"},
                        "Sub-space training: SGD with Nesterov momentum 0.9, or AdamW"),
      ConfigKey::real("train_weight_decay", 3e-5,
                      "Sub-space training: weight decay of convolution and linear weights (not batch norms, not "
                      "biases)")
          .at_least(0),
      ConfigKey::real("train_label_smoothing", 0.1, "Sub-space training: label smoothing").at_least(0).at_most(1),
      ConfigKey::integer("train_images", 0,
                         "Sub-space training: a seeded subset of the training part to train on; 0: all of it")
          .at_least(0),
      ConfigKey::integer("train_threads", 0,
                         "Sub-space training: LibTorch intra-op threads (the same count gives the same weights); 0: "
                         "leave LibTorch's setting")
          .at_least(0),
  };
}

SubspaceTrainer::SubspaceTrainer(const PluginConfig& config, std::string who, uint64_t seed)
    : config_(config), who_(std::move(who)), seed_(seed) {
  if (config_.get_double("train_lr") <= 0)
    config_.fail("train_lr", "must be > 0; fix: give a positive learning rate, e.g. 0.05");
}

namespace {

// The training images and the validation images of a sub-space's training:
// Fashion-MNIST's training part (augmented by random crop and flip in the
// engine), or an image folder's (what validation_split leaves, read with
// Once-for-All's training transform as `nasctl train` reads it).
// `resolution`: the input size of the sub-space's largest network.
train::TrainData training_data(const PluginConfig& config, const EvaluationData& data, int64_t batch_size,
                               int64_t calibration_images, uint64_t seed, int resolution) {
  const bool fashion = config.get_string("dataset") == kFashionMnist;
  if (fashion && config.get_string("split") == "test")
    config.fail("split", "\"test\" scores on Fashion-MNIST's test file, and a staged search trains and ranks on "
                         "what the source scores; fix: search with split = \"validation\" and measure the chosen "
                         "network on the test file afterwards");
  if (!data.train)
    config.fail("validation_split",
                "0 makes all of '" + config.get_string("dataset") +
                    "' validation images, and training a sub-space's super-network (a staged search asked for it) "
                    "needs training images; fix: give a validation_split smaller than the folder, so that the rest "
                    "is trained on (calibration_folder may stay)");
  train::TrainData out;
  out.train = data.train;
  out.validation = data.validation;
  const auto available = static_cast<int64_t>(data.train->size());
  if (const int64_t subset = config.get_int("train_images"); subset > 0) {
    if (subset > available)
      config.fail("train_images", std::to_string(subset) + " is more than the " + std::to_string(available) +
                                      " images of the training part; fix: give at most " + std::to_string(available) +
                                      ", or 0 for all");
    out.train = datasets::seeded_subset(data.train, static_cast<std::size_t>(subset), seed);
  }
  const auto images = static_cast<int64_t>(out.train->size());
  if (batch_size > images)
    config.fail("train_batch_size", std::to_string(batch_size) + " is larger than the " + std::to_string(images) +
                                        " training images, so an epoch would have no step; fix: give at most " +
                                        std::to_string(images));
  if (calibration_images > images)
    config.fail("calibration_images", std::to_string(calibration_images) + " is more than the " +
                                          std::to_string(images) +
                                          " training images a sub-space trains on (train_images); fix: give at most " +
                                          std::to_string(images));
  out.resolution = resolution;  // Fashion-MNIST resizes its 28 x 28 images to other sizes
  out.pad_value = fashion ? -datasets::kFashionMnistMean / datasets::kFashionMnistStd : 0.0f;
  out.description = out.train->description();
  return out;
}

std::string mask_text(const std::vector<bool>& searchable) {
  std::string out;
  for (const bool s : searchable) out += s ? '1' : '0';
  return out;
}

// `path` relative to the run folder when it lies inside it, so that a run
// resumed under another spelling of its folder has the same identity.
std::string where_from(const std::string& path, const std::string& run_dir) {
  const fs::path relative = fs::absolute(path).lexically_proximate(fs::absolute(run_dir));
  return relative.empty() || *relative.begin() == ".." ? fs::absolute(path).lexically_normal().string()
                                                       : relative.string();
}

}  // namespace

SubspaceTraining SubspaceTrainer::train(const SearchSpace& space, const SubSpace& subspace, const EvaluationData& data,
                                        const PassOptions& pass, const std::string& initial,
                                        const std::string& run_dir) const {
  const auto& variables = space.variables();
  if (subspace.name.empty() || subspace.name.find_first_of("/\\") != std::string::npos || subspace.name[0] == '.' ||
      subspace.searchable.size() != variables.size() || subspace.base.size() != variables.size())
    throw Error(who_ + ": the search announced a malformed sub-space '" + subspace.name + "' (" +
                std::to_string(subspace.searchable.size()) + " flags, " + std::to_string(subspace.base.size()) +
                " choices for " + std::to_string(variables.size()) +
                " variables, or a name that is no folder name); fix: report this bug of the search plugin");

  train::TrainOptions options;
  options.sampler = config_.get_string("train_sampler") == "sandwich" ? train::Sampler::Sandwich : train::Sampler::Spos;
  options.batch_size = config_.get_int("train_batch_size");
  options.optimiser = config_.get_string("train_optimizer") == "adamw" ? train::OptimiserKind::AdamW
                                                                        : train::OptimiserKind::Sgd;
  options.weight_decay = config_.get_double("train_weight_decay");
  options.label_smoothing = config_.get_double("train_label_smoothing");
  options.calibration_images = config_.get_int("calibration_images");
  options.calibration_batch = config_.get_int("calibration_batch");
  options.validation_images = 0;  // the source's validation images, already its subset
  options.seed = seed_;
  options.device = pass.device;
  options.threads = config_.get_int("train_threads");
  options.bf16 = pass.bf16;
  options.channels_last = pass.channels_last;
  train::Phase phase;
  for (std::size_t v = 0; v < variables.size(); ++v)
    if (subspace.searchable[v]) phase.elastic.push_back(variables[v].name);
  phase.epochs = subspace.train_epochs;
  phase.lr = config_.get_double("train_lr");
  phase.warmup_epochs = config_.get_double("train_warmup_epochs");
  options.phases.push_back(phase);
  options.held_at = space.to_string(subspace.base);
  options.initial_checkpoint = initial;

  // What makes this training the training it is: a resume with anything
  // else (another recipe, another stage-1 result) is refused by the engine.
  options.identity = {{"subspace", subspace.name},
                      {"subspace.searchable", mask_text(subspace.searchable)},
                      {"subspace.held_at", options.held_at},
                      {"subspace.epochs", std::to_string(subspace.train_epochs)},
                      {"initial_checkpoint", initial.empty() ? "(seeded)" : where_from(initial, run_dir)},
                      {"seed", std::to_string(seed_)}};
  for (const auto& [key, entry] : config_.entries()) {
    if (key == "train_threads" || key == "device" || key == "loader_threads" || key == "batch_size") continue;
    if (key.rfind("train_", 0) == 0 || key == "dataset" || key == "fashion_mnist_folder" ||
        key == "validation_split" || key == "split_seed" || key == "validation_images" ||
        key == "calibration_images" || key == "calibration_batch" || key == "seed")
      options.identity["accuracy." + key] = to_toml(entry.value);
  }

  const train::ElasticSpace elastic(space);
  const Architecture largest = elastic.largest(elastic.phase(phase.elastic, subspace.base));
  const train::TrainData train_data =
      training_data(config_, data, options.batch_size, options.calibration_images, seed_,
                    static_cast<int>(space.lower(largest).input.height));

  SubspaceTraining out;
  out.folder = (fs::path(run_dir) / "subspaces" / subspace.name).string();
  out.checkpoint = (fs::path(out.folder) / train::kCheckpointFile).string();
  out.epochs = subspace.train_epochs;
  std::error_code error;
  fs::create_directories(out.folder, error);
  if (error || !fs::is_directory(out.folder))
    throw Error(out.folder + ": cannot create the sub-space's training folder (" + error.message() +
                "); fix: make the run folder writable");
  const bool resume = fs::exists(fs::path(out.folder) / train::kStateFile);

  train::TrainCallbacks callbacks;
  const std::string who = who_ + ": sub-space '" + subspace.name + "'";
  callbacks.on_epoch = [&](const train::EpochReport& r) {
    char line[256];
    std::snprintf(line, sizeof line,
                  " epoch %lld/%lld: loss %.4f, train top-1 %.2f%%, validation top-1 largest %.2f%%, smallest "
                  "%.2f%%, %.0f images/s, %.1f s",
                  static_cast<long long>(r.epoch), static_cast<long long>(subspace.train_epochs), r.loss,
                  r.train_top1, r.top1_largest, r.top1_smallest, r.images_per_second, r.seconds);
    log_info(who + line);
  };
  log_info(who + ": " + (resume ? "continuing" : "training") + " its super-network for " +
           std::to_string(subspace.train_epochs) + " epoch(s) (" + config_.get_string("train_sampler") +
           ", searched variables elastic, the others held at " + options.held_at + ") from " +
           (initial.empty() ? std::string("seeded initial weights") : initial) + " on " + train_data.description +
           " in " + out.folder);
  train::TrainSummary summary;
  try {
    summary = train::train_supernet(space, train_data, options, out.folder, resume, callbacks);
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {
    throw Error(who + ": " + e.what());
  }
  out.trained_now = summary.epochs_done - (summary.first_epoch - 1);
  if (out.trained_now <= 0) {
    out.trained_now = 0;
    log_info(who + ": already trained (" + std::to_string(summary.epochs_done) + " epochs, " + out.checkpoint +
             "); reusing it");
  }
  return out;
}

}  // namespace nasctl::accuracy::supernet
