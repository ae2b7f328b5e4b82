// `nasctl train`: the config's [train] table turned into a training run of
// the [space]'s super-network (nasctl::train), with its run folder, the
// progress line on stderr and a summary per epoch. Every check a user can
// fail is made before the first step, each one line naming the key.
#include "command_train.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <tuple>
#include <utility>

#include "nasctl/atomic_file.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/run_dir.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "nasctl/runtime/session.hpp"
#include "nasctl/torch/latency.hpp"
#include "nasctl/train/elastic.hpp"
#include "nasctl/train/trainer.hpp"
#include "nasctl/weight_sharing.hpp"
#include "torch_side_log.hpp"

namespace nasctl::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The keys that make a run the run it is: the space's, and [train]'s but
// where it runs (device, threads), which may change between sessions.
std::map<std::string, std::string> identity_of(const runtime::RunConfig& config) {
  std::map<std::string, std::string> identity{{"space.plugin", config.space.plugin}};
  for (const auto& [key, entry] : config.space.raw.entries()) identity["space." + key] = to_toml(entry.value);
  for (const auto& [key, entry] : config.train->keys.entries()) {
    if (key == "device" || key == "threads") continue;
    identity["train." + key] = to_toml(entry.value);
  }
  for (std::size_t i = 0; i < config.train->phases.size(); ++i)
    for (const auto& [key, entry] : config.train->phases[i].entries())
      identity["train.phases[" + std::to_string(i) + "]." + key] = to_toml(entry.value);
  return identity;
}

train::TrainOptions options_of(const runtime::TrainSection& section) {
  const PluginConfig& k = section.keys;
  train::TrainOptions o;
  o.sampler = k.get_string("sampler") == "sandwich" ? train::Sampler::Sandwich : train::Sampler::Spos;
  o.random_per_step = k.get_int("random_per_step");
  o.distillation = k.get_bool("distillation");
  o.batch_size = k.get_int("batch_size");
  o.optimiser = k.get_string("optimizer") == "adamw" ? train::OptimiserKind::AdamW : train::OptimiserKind::Sgd;
  o.momentum = k.get_double("momentum");
  o.nesterov = k.get_bool("nesterov");
  o.beta1 = k.get_double("beta1");
  o.beta2 = k.get_double("beta2");
  o.weight_decay = k.get_double("weight_decay");
  o.label_smoothing = k.get_double("label_smoothing");
  o.crop_padding = k.get_int("crop_padding");
  o.flip = k.get_bool("flip");
  o.color_jitter = k.get_string("color_jitter") == "tf" ? datasets::ColorJitter::Tf : datasets::ColorJitter::None;
  o.validation_images = k.get_int("validation_images");
  o.calibration_images = k.get_int("calibration_images");
  o.calibration_batch = k.get_int("calibration_batch");
  o.seed = static_cast<uint64_t>(k.get_int("seed"));
  o.device = k.get_string("device");
  o.threads = k.get_int("threads");
  o.bf16 = k.get_bool("bf16");
  o.channels_last = k.get_bool("channels_last");
  o.subnetwork = k.get_string("subnetwork");
  if (section.phases.empty()) {
    train::Phase phase;
    phase.elastic = {};
    phase.epochs = k.get_int("epochs");
    phase.lr = k.get_double("lr");
    phase.warmup_epochs = k.get_double("warmup_epochs");
    o.phases.push_back(phase);
  }
  for (const PluginConfig& p : section.phases) {
    train::Phase phase;
    phase.elastic = p.get_strings("elastic");
    phase.epochs = p.get_int("epochs");
    phase.lr = p.has("lr") ? p.get_double("lr") : k.get_double("lr");
    phase.warmup_epochs = p.has("warmup_epochs") ? p.get_double("warmup_epochs") : k.get_double("warmup_epochs");
    phase.sort_channels = p.get_bool("sort_channels");
    o.phases.push_back(phase);
  }
  return o;
}

// The checks that need the space: its face, each phase's variables, and
// that a phase sorting channels has channel groups to sort.
void check_against_space(const runtime::Session& session, train::TrainOptions& options) {
  const runtime::RunConfig& config = session.config;
  if (!dynamic_cast<const WeightSharing*>(session.space.get()))
    throw ConfigError(config.space.where + ": key 'space.plugin': space '" + config.space.plugin +
                      "' has no weight-sharing super-network (it does not implement nasctl::WeightSharing), so there "
                      "is nothing to train; fix: use a space with one, e.g. ofa-mobilenetv3 or hurricane");
  const train::ElasticSpace elastic(*session.space);
  if (!options.subnetwork.empty()) {
    const PluginConfig& k = config.train->keys;
    if (options.sampler != train::Sampler::Spos)
      k.fail("sampler", "\"" + k.get_string("sampler") + "\" with subnetwork: one sub-network trained alone is drawn "
                        "every step, and the sandwich rule would train it several times a step; fix: set sampler = "
                        "\"spos\"");
    try {
      session.space->parse(options.subnetwork);
    } catch (const Error& e) {
      k.fail("subnetwork", "'" + options.subnetwork + "' is not an architecture of space '" + config.space.plugin +
                               "': " + e.what());
    }
  }
  if (config.train->phases.empty()) {
    // A single phase: every variable elastic.
    options.phases.front().elastic.clear();
    for (const auto& var : session.space->variables()) options.phases.front().elastic.push_back(var.name);
    return;
  }
  const auto& sharing = dynamic_cast<const WeightSharing&>(*session.space);
  for (std::size_t i = 0; i < config.train->phases.size(); ++i) {
    try {
      elastic.phase(options.phases[i].elastic);
    } catch (const Error& e) {
      config.train->phases[i].fail("elastic", e.what());
    }
    if (options.phases[i].sort_channels && sharing.channel_groups().empty())
      config.train->phases[i].fail("sort_channels", "the " + sharing.supernet_name() +
                                                        " declares no channel groups to sort (its sub-networks cut no "
                                                        "channel prefixes); fix: leave sort_channels out");
  }
}

// The input the largest sub-network takes (the size batches are read at;
// under elastic resolution each step's batch is then resized or decoded at
// its sub-networks' size).
TensorShape space_input(const runtime::Session& session) {
  const train::ElasticSpace elastic(*session.space);
  const TensorShape big = session.space->lower(elastic.largest(elastic.all())).input;
  const TensorShape small = session.space->lower(elastic.smallest(elastic.all())).input;
  if (small.channels != big.channels || small.height != small.width)
    throw ConfigError(session.config.space.where + ": key 'space': the smallest sub-network takes " +
                      std::to_string(small.channels) + " x " + std::to_string(small.height) + " x " +
                      std::to_string(small.width) + " images; fix: configure the space for square images");
  return big;
}

// Every input size of the space's sub-networks is one `dataset` serves
// (Fashion-MNIST resizes its 28 x 28 images from 4 to 112 pixels).
void check_sizes(const runtime::Session& session, const datasets::Dataset& dataset) {
  const train::ElasticSpace elastic(*session.space);
  for (const int size : elastic.input_sizes(elastic.all())) {
    try {
      dataset.input_shape(size);
    } catch (const DataError& e) {
      throw ConfigError(session.config.space.where + ": key 'space.resolutions': the sub-networks take " +
                        std::to_string(size) + " x " + std::to_string(size) + " images, and " + e.what());
    }
  }
}

// Fashion-MNIST's training part and validation split.
std::pair<std::shared_ptr<const datasets::Dataset>, std::shared_ptr<const datasets::Dataset>> open_fashion(
    const PluginConfig& k) {
  datasets::FashionMnistOptions fashion_options;
  fashion_options.folder = k.get_path("fashion_mnist_folder");
  fashion_options.validation_size = static_cast<std::size_t>(k.get_int("validation_split"));
  fashion_options.split_seed = static_cast<uint64_t>(k.get_int("split_seed"));
  try {
    datasets::FashionMnist fashion = datasets::open_fashion_mnist(fashion_options);
    return {fashion.train, fashion.validation};
  } catch (const Error& e) {
    k.fail(fashion_options.validation_size >= 60000 ? "validation_split" : "fashion_mnist_folder", e.what());
  }
}

// The image folder `dataset` names: its training part and validation split.
std::pair<std::shared_ptr<const datasets::Dataset>, std::shared_ptr<const datasets::Dataset>> open_folder(
    const PluginConfig& k) {
  datasets::ImageFolderOptions folder_options;
  folder_options.root = k.get_path("dataset");
  folder_options.threads = static_cast<int>(k.get_int("loader_threads"));
  std::shared_ptr<const datasets::Dataset> folder;
  try {
    folder = datasets::open_image_folder(folder_options);
  } catch (const Error& e) {
    k.fail("dataset", e.what());
  }
  try {
    datasets::TrainValidation parts = datasets::split_train_validation(
        folder, static_cast<std::size_t>(k.get_int("validation_split")), static_cast<uint64_t>(k.get_int("split_seed")));
    return {parts.train, parts.validation};
  } catch (const Error& e) {
    k.fail("validation_split", e.what());
  }
}

// The data the config names, checked against the space (input shape,
// classes) and against the sizes the options ask for.
train::TrainData open_data(const runtime::Session& session, const train::TrainOptions& options) {
  const PluginConfig& k = session.config.train->keys;
  const std::string& where = session.config.space.where;
  const bool fashion = k.get_string("dataset") == "fashion-mnist";
  const TensorShape input = space_input(session);
  train::TrainData data;
  if (fashion) {
    if (input.channels != 1)
      throw ConfigError(where + ": key 'space': the sub-networks take " + std::to_string(input.channels) + " x " +
                        std::to_string(input.height) + " x " + std::to_string(input.width) +
                        " images, but Fashion-MNIST's are grey (1 channel); fix: configure the space for them "
                        "(input_channels = 1, stem = \"small\", resolutions = [28])");
    if (options.color_jitter != datasets::ColorJitter::None)
      k.fail("color_jitter", "\"" + k.get_string("color_jitter") +
                                 "\" is Once-for-All's colour jitter for image folders, and Fashion-MNIST's images "
                                 "are grey (its augmentation is crop_padding and flip); fix: set color_jitter = "
                                 "\"none\" or train on an image folder");
    std::tie(data.train, data.validation) = open_fashion(k);
    data.pad_value = -datasets::kFashionMnistMean / datasets::kFashionMnistStd;
  } else {
    if (input.channels != 3 || input.height != input.width)
      throw ConfigError(where + ": key 'space': the sub-networks take " + std::to_string(input.channels) + " x " +
                        std::to_string(input.height) + " x " + std::to_string(input.width) +
                        " images, and an image folder is read as square RGB images; fix: set input_channels = 3");
    std::tie(data.train, data.validation) = open_folder(k);
  }
  check_sizes(session, *data.train);
  data.resolution = static_cast<int>(input.height);

  const train::ElasticSpace elastic(*session.space);
  const int64_t outputs = session.space->lower(elastic.largest(elastic.all())).output().channels;
  const auto classes = static_cast<int64_t>(data.validation->classes().size());
  if (outputs != classes)
    throw ConfigError(where + ": key 'space.classes': the networks have " + std::to_string(outputs) + " outputs and " +
                      data.validation->description() + " has " + std::to_string(classes) +
                      " classes; fix: set classes = " + std::to_string(classes));

  const auto available = static_cast<int64_t>(data.train->size());
  if (const int64_t subset = k.get_int("train_images"); subset > 0) {
    if (subset > available)
      k.fail("train_images", std::to_string(subset) + " is more than the " + std::to_string(available) +
                                 " training images; fix: give at most " + std::to_string(available) + ", or 0 for all");
    data.train = datasets::seeded_subset(data.train, static_cast<std::size_t>(subset), options.seed);
  }
  const auto train_images = static_cast<int64_t>(data.train->size());
  if (options.batch_size > train_images)
    k.fail("batch_size", std::to_string(options.batch_size) + " is larger than the " + std::to_string(train_images) +
                             " training images, so an epoch would have no step; fix: give at most " +
                             std::to_string(train_images));
  if (options.calibration_images > train_images)
    k.fail("calibration_images", std::to_string(options.calibration_images) + " is more than the " +
                                     std::to_string(train_images) + " training images; fix: give at most " +
                                     std::to_string(train_images));
  if (options.validation_images > static_cast<int64_t>(data.validation->size()))
    k.fail("validation_images", std::to_string(options.validation_images) + " is more than the " +
                                    std::to_string(data.validation->size()) +
                                    " images of the validation split; fix: give at most that, or 0 for all");
  data.description = data.train->description();
  return data;
}

void check_device(const runtime::TrainSection& section, const train::TrainOptions& options) {
  const PluginConfig& k = section.keys;
  if (options.bf16 && options.device != "cuda")
    k.fail("bf16", "bfloat16 autocast is for device = \"cuda\"; fix: set device = \"cuda\" or bf16 = false");
  if (options.device != "cuda") return;
  const std::string why = libtorch::cuda_unavailable_reason();
  if (!why.empty()) k.fail("device", "\"cuda\" cannot be used: " + why);
}

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char text[32];
  if (s >= 3600) std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, (s / 60) % 60);
  else std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  return text;
}

// The progress line: redrawn in place on a terminal, otherwise (or with
// --no-progress) a line at most every 10 s.
class ProgressLine {
 public:
  ProgressLine(bool no_progress, int64_t steps_left) : redraw_(!no_progress && ::isatty(STDERR_FILENO)), left_(steps_left) {}

  void step(const train::StepReport& r) {
    ++done_;
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (since < (redraw_ ? 0.2 : 10.0) && r.step != r.steps) return;
    last_ = now;
    const double per_step = elapsed / static_cast<double>(done_);
    const double in_epoch = std::chrono::duration<double>(now - epoch_start_).count();
    const double images_per_second = in_epoch > 0 ? static_cast<double>(r.images) / in_epoch : 0.0;
    char line[256];
    std::snprintf(line, sizeof line, "epoch %lld/%lld step %lld/%lld  loss %.4f  acc %.1f%%  %.0f img/s  lr %.4g  ETA %s",
                  static_cast<long long>(r.epoch), static_cast<long long>(r.epochs), static_cast<long long>(r.step),
                  static_cast<long long>(r.steps), r.loss, r.train_top1, images_per_second, r.lr,
                  duration_text(per_step * static_cast<double>(left_ - done_)).c_str());
    if (redraw_) std::fprintf(stderr, "\r%s\x1b[K", line);
    else std::fprintf(stderr, "%s\n", line);
    std::fflush(stderr);
  }
  void epoch_started() { epoch_start_ = Clock::now(); }
  void end_line() {
    if (redraw_) std::fprintf(stderr, "\r\x1b[K");
  }

 private:
  bool redraw_;
  int64_t left_;
  int64_t done_ = 0;
  Clock::time_point start_ = Clock::now(), last_ = Clock::time_point{}, epoch_start_ = Clock::now();
};

}  // namespace

int run_train_command(const TrainCommandOptions& options) {
  if (options.stop_after_epochs < 0)
    throw ConfigError("--stop-after-epochs " + std::to_string(options.stop_after_epochs) +
                      ": not a number of epochs; fix: give 1 or more (0: no limit)");
  const bool resume = !options.resume_dir.empty();
  if (resume && !options.out_dir.empty() && fs::absolute(options.out_dir) != fs::absolute(options.resume_dir))
    throw ConfigError("-o " + options.out_dir + " and --resume " + options.resume_dir +
                      ": a resumed run stays in its folder; fix: drop -o");
  if (resume && !fs::exists(fs::path(options.resume_dir) / train::kStateFile))
    throw ConfigError("--resume " + options.resume_dir + ": holds no " + std::string(train::kStateFile) +
                      ", so there is no training run to continue; fix: give the folder of a run nasctl train wrote");
  if (!resume && options.config.config_file.empty())
    throw ConfigError("nasctl train: no config; fix: give -c FILE with [space] and [train] (docs/train.md)");

  runtime::RunConfig config = resume && options.config.config_file.empty()
                                  ? runtime::load_run_config(options.resume_dir, options.config.overrides)
                                  : load_config(options.config);
  if (!config.train)
    throw ConfigError(config.file + ": key 'train': is required to train; fix: add a [train] table (docs/train.md)");
  const runtime::TrainSection& section = *config.train;
  train::TrainOptions train_options = options_of(section);
  train_options.identity = identity_of(config);
  train_options.stop_after_epochs = options.stop_after_epochs;
  check_device(section, train_options);

  // The space alone: a training config may also search, and its providers
  // are not needed here.
  runtime::RunConfig space_only = config;
  space_only.hardware.clear();
  space_only.accuracy.reset();
  space_only.objectives.clear();
  space_only.objective_where.clear();
  space_only.constraints.clear();
  space_only.constraint_where.clear();
  const auto session = runtime::open_session(std::move(space_only), false);
  check_against_space(*session, train_options);
  const train::TrainData data = open_data(*session, train_options);
  if (options.check_only) return 0;

  const std::string out_dir = resume ? options.resume_dir : (options.out_dir.empty() ? config.out : options.out_dir);
  // A run killed in the middle of an atomic write left "<file>.tmp-XXXXXX"
  // beside the file (never a half file under the real name): the next run in
  // the folder, new or resumed, removes them.
  for (const std::string& path : {runtime::run_config_path(out_dir), (fs::path(out_dir) / train::kCheckpointFile).string(),
                                   (fs::path(out_dir) / train::kStateFile).string(),
                                   (fs::path(out_dir) / train::kMetricsFile).string()}) {
    for (const std::string& file : remove_leftover_temporaries(path))
      log_info("removed " + file + ", left by a run killed while writing it");
  }
  if (!resume) {
    if (fs::exists(fs::path(out_dir) / train::kStateFile))
      throw ConfigError("-o " + out_dir + ": already holds a training run; fix: continue it with --resume " + out_dir +
                        ", or train into another folder");
    std::error_code error;
    fs::create_directories(out_dir, error);
    if (error || !fs::is_directory(out_dir))
      throw ConfigError("-o " + out_dir + ": cannot create the folder (" + error.message() +
                        "); fix: choose a folder you can write");
    write_file_atomically(runtime::run_config_path(out_dir), runtime::config_file_text(config), "the run's config");
  }

  int64_t epochs_total = 0;
  for (const auto& p : train_options.phases) epochs_total += p.epochs;
  log_info("training the " + dynamic_cast<const WeightSharing&>(*session->space).supernet_name() + " (" +
           std::to_string(train_options.phases.size()) + " phase(s), " + std::to_string(epochs_total) + " epochs) on " +
           data.description + "; run folder " + out_dir);

  const int64_t steps_per_epoch = static_cast<int64_t>(data.train->size()) / train_options.batch_size;
  ProgressLine progress(options.no_progress, steps_per_epoch * epochs_total);
  train::TrainCallbacks callbacks;
  callbacks.on_step = [&](const train::StepReport& r) { progress.step(r); };
  callbacks.on_epoch = [&](const train::EpochReport& r) {
    progress.end_line();
    char line[320];
    std::snprintf(line, sizeof line,
                  "epoch %lld/%lld (phase %lld): loss %.4f, train top-1 %.2f%%, validation top-1 largest %.2f%%, "
                  "smallest %.2f%%, %.0f images/s, %.1f s",
                  static_cast<long long>(r.epoch), static_cast<long long>(epochs_total), static_cast<long long>(r.phase),
                  r.loss, r.train_top1, r.top1_largest, r.top1_smallest, r.images_per_second, r.seconds);
    log_info(line);
    progress.epoch_started();  // validation and saving are not training time
  };
  callbacks.on_channels_sorted = [&](const train::SortReport& r) {
    progress.end_line();
    log_info("phase " + std::to_string(r.phase) + ": channels sorted by importance in " + std::to_string(r.groups) +
             " groups, " + std::to_string(r.channels_moved) + " moved (within the widths earlier phases trained)");
  };
  const train::TrainSummary summary =
      train::train_supernet(*session->space, data, train_options, out_dir, resume, callbacks);

  const fs::path folder(out_dir);
  if (summary.first_epoch > summary.epochs_total)
    std::printf("%s: already trained (%lld of %lld epochs); nothing to do\n", out_dir.c_str(),
                static_cast<long long>(summary.epochs_done), static_cast<long long>(summary.epochs_total));
  else
    std::printf("Trained epochs %lld..%lld of %lld: %s, %s, %s\n", static_cast<long long>(summary.first_epoch),
                static_cast<long long>(summary.epochs_done), static_cast<long long>(summary.epochs_total),
                (folder / train::kCheckpointFile).c_str(), (folder / train::kMetricsFile).c_str(),
                (folder / train::kStateFile).c_str());
  if (!summary.finished)
    std::printf("Continue with: nasctl train --resume %s\n", out_dir.c_str());
  return 0;
}

}  // namespace nasctl::cli
