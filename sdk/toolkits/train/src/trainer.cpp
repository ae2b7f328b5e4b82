// The training loop: options checked, the super-network made (or restored
// from train_state.pt), then phase by phase, epoch by epoch, step by step;
// each epoch ends with validation and the run folder's files replaced whole.
#include "nasctl/train/trainer.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>

#include "augmentation.hpp"
#include "losses.hpp"
#include "metrics_log.hpp"
#include "nasctl/datasets/dataset.hpp"
#include "nasctl/datasets/resize.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/bf16_autocast.hpp"
#include "nasctl/torch/channels_last.hpp"
#include "nasctl/torch/latency.hpp"
#include "nasctl/torch/steady_heap.hpp"
#include "nasctl/train/elastic.hpp"
#include "nasctl/train/optimiser.hpp"
#include "nasctl/train/phase_sorting.hpp"
#include "nasctl/train/schedule.hpp"
#include "nasctl/weight_sharing.hpp"
#include "seeds.hpp"
#include "train_state.hpp"
#include "validation.hpp"

namespace nasctl::train {

namespace {

using Clock = std::chrono::steady_clock;

void check_options(const TrainOptions& o, const TrainData& data) {
  if (o.phases.empty()) throw Error("training has no phases; fix: give epochs, or at least one phase");
  for (std::size_t i = 0; i < o.phases.size(); ++i) {
    const Phase& p = o.phases[i];
    const std::string which = "phase " + std::to_string(i + 1);
    if (p.epochs < 1) throw Error(which + ": epochs " + std::to_string(p.epochs) + "; fix: give 1 or more");
    if (!(p.lr > 0.0) || !std::isfinite(p.lr))
      throw Error(which + ": learning rate " + std::to_string(p.lr) + " is not > 0; fix: give a positive lr");
    if (!(p.warmup_epochs >= 0.0) || p.warmup_epochs > static_cast<double>(p.epochs))
      throw Error(which + ": warm-up of " + std::to_string(p.warmup_epochs) + " epochs in a phase of " +
                  std::to_string(p.epochs) + "; fix: give 0 .. the phase's epochs");
  }
  const auto train_images = static_cast<int64_t>(data.train->size());
  if (o.batch_size < 1) throw Error("batch size " + std::to_string(o.batch_size) + "; fix: give 1 or more");
  if (o.batch_size > train_images)
    throw Error("batch size " + std::to_string(o.batch_size) + " is larger than the " + std::to_string(train_images) +
                " training images, so an epoch would have no step; fix: give a batch size of at most " +
                std::to_string(train_images));
  if (o.calibration_images < 1 || o.calibration_images > train_images)
    throw Error("calibration images " + std::to_string(o.calibration_images) + " of " +
                std::to_string(train_images) + " training images; fix: give 1 .. " + std::to_string(train_images));
  if (o.validation_images < 0 || o.validation_images > static_cast<int64_t>(data.validation->size()))
    throw Error("validation images " + std::to_string(o.validation_images) + " of a validation split of " +
                std::to_string(data.validation->size()) + "; fix: give 0 (all) .. " +
                std::to_string(data.validation->size()));
  if (o.color_jitter != datasets::ColorJitter::None && !data.train->augments_when_read())
    throw Error("colour jitter is Once-for-All's for image folders and " + data.train->description() +
                " has no colour; fix: set color_jitter = \"none\"");
  if (o.crop_padding < 0) throw Error("crop padding " + std::to_string(o.crop_padding) + "; fix: give 0 or more");
  if (o.random_per_step < 0)
    throw Error("random sub-networks per step " + std::to_string(o.random_per_step) + "; fix: give 0 or more");
  if (o.device != "cpu" && o.device != "cuda")
    throw Error("device '" + o.device + "'; fix: use \"cpu\" or \"cuda\"");
  if (o.device == "cuda") {
    const std::string why = libtorch::cuda_unavailable_reason();
    if (!why.empty()) throw Error("device \"cuda\" cannot be used: " + why);
  }
  if (o.bf16 && o.device != "cuda")
    throw Error("bf16 autocast is for device \"cuda\"; fix: set device = \"cuda\" or bf16 = false");
}

// A sub-network activated once per architecture (lowering and binding cost
// more than a small network's step); the map is bounded because SPOS draws
// from spaces of billions.
class Activations {
 public:
  explicit Activations(const supernet::SuperNetwork& net) : net_(net) {}
  supernet::SubNetwork& get(const Architecture& arch) {
    auto it = subs_.find(arch);
    if (it != subs_.end()) return it->second;
    if (subs_.size() >= 256) subs_.clear();
    return subs_.emplace(arch, net_.activate(arch)).first->second;
  }

 private:
  const supernet::SuperNetwork& net_;
  std::map<Architecture, supernet::SubNetwork> subs_;
};

// An image folder's training read of epoch `epoch`: Once-for-All's
// transform, each image's draws seeded by the epoch and its position.
datasets::AugmentOptions augment_options(const TrainOptions& o, int64_t epoch) {
  datasets::AugmentOptions augment;
  augment.seed = detail::derived_seed(o.seed, detail::Purpose::Augmentation, static_cast<uint64_t>(epoch));
  augment.color_jitter = o.color_jitter;
  return augment;
}

// The tensors themselves, detached (write_checkpoint copies them to the CPU).
supernet::StateDict detached(const supernet::StateDict& held) {
  supernet::StateDict out;
  for (const std::string& name : held.names()) out.set(name, held.at(name).detach());
  return out;
}

}  // namespace

uint64_t initial_weights_seed(uint64_t seed) { return detail::derived_seed(seed, detail::Purpose::Weights); }

TrainSummary train_supernet(const SearchSpace& space, const TrainData& data, const TrainOptions& options,
                            const std::string& out_dir, bool resume, const TrainCallbacks& callbacks) {
  if (!dynamic_cast<const WeightSharing*>(&space))
    throw Error("the search space has no weight-sharing super-network (it does not implement nasctl::WeightSharing); "
                "fix: train a space that has one, e.g. ofa-mobilenetv3 or hurricane");
  check_options(options, data);
  libtorch::keep_freed_memory_mapped();  // every step allocates the same activations again
  // LibTorch's and OpenBLAS's pools both (nasctl starts with OpenBLAS at one
  // thread, and eager 1x1 convolutions on the CPU are BLAS gemms).
  if (options.threads > 0) libtorch::set_threads(static_cast<int>(options.threads));

  const ElasticSpace elastic(space);
  std::vector<PhaseChoices> phase_choices;
  std::optional<Architecture> alone;  // TrainOptions::subnetwork, parsed
  if (!options.subnetwork.empty()) {
    if (options.sampler != Sampler::Spos)
      throw Error("a single sub-network (subnetwork) is trained with the spos sampler; the sandwich rule would train "
                  "it several times a step; fix: set sampler = \"spos\"");
    try {
      alone = space.canonicalize(space.parse(options.subnetwork));
    } catch (const Error& e) {
      throw Error("subnetwork '" + options.subnetwork + "': " + e.what());
    }
  }
  std::optional<Architecture> held;  // TrainOptions::held_at, parsed
  if (!options.held_at.empty()) {
    try {
      held = space.parse(options.held_at);
    } catch (const Error& e) {
      throw Error("held_at '" + options.held_at + "': " + e.what());
    }
  }
  for (std::size_t i = 0; i < options.phases.size(); ++i) {
    try {
      phase_choices.push_back(alone  ? elastic.fixed(*alone)
                              : held ? elastic.phase(options.phases[i].elastic, *held)
                                     : elastic.phase(options.phases[i].elastic));
    } catch (const Error& e) {
      throw Error("phase " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  const auto& sharing = dynamic_cast<const WeightSharing&>(space);
  const std::vector<ChannelGroup> channel_groups = sharing.channel_groups();
  for (std::size_t i = 0; i < options.phases.size(); ++i) {
    if (!options.phases[i].sort_channels) continue;
    const std::string phase = "phase " + std::to_string(i + 1) + " sorts channels (sort_channels)";
    if (channel_groups.empty())
      throw Error(phase + ", but the " + sharing.supernet_name() +
                  " declares no channel groups to sort; fix: leave sort_channels out");
    // The widths kept are those this run's earlier phases trained; what a
    // given checkpoint's own training taught is not known.
    if (!options.initial_checkpoint.empty())
      throw Error(phase + " of a super-network started from " + options.initial_checkpoint +
                  ", whose narrower widths would lose their channels; fix: sort in the run that trains the widths");
  }
  // The two networks validated after every epoch; one sub-network trained
  // alone is both.
  const PhaseChoices everything = alone ? elastic.fixed(*alone) : held ? phase_choices.back() : elastic.all();
  const Architecture largest = elastic.largest(everything), smallest = elastic.smallest(everything);
  // Every size a phase draws must be square and one the datasets serve: an
  // image folder decodes each step's batch at its size, Fashion-MNIST's
  // batches are read at data.resolution, augmented, then resized.
  const bool reader_augments = data.train->augments_when_read();
  for (std::size_t p = 0; p <= phase_choices.size(); ++p) {
    const PhaseChoices& choices = p < phase_choices.size() ? phase_choices[p] : everything;
    for (const Architecture& arch : {elastic.largest(choices), elastic.smallest(choices)}) {
      const TensorShape input = space.lower(arch).input;
      const std::string takes = "the sub-network " + space.to_string(arch) + " takes " + std::to_string(input.height) +
                                " x " + std::to_string(input.width) + " images";
      if (input.height != input.width)
        throw Error(takes + ", and the training images are square; fix: configure the space for square images");
      try {
        data.train->input_shape(static_cast<int>(input.height));
        data.validation->input_shape(static_cast<int>(input.height));
      } catch (const DataError& e) {
        throw Error(takes + ": " + e.what());
      }
    }
  }

  const auto steps_per_epoch = static_cast<int64_t>(data.train->size()) / options.batch_size;
  int64_t epochs_total = 0;
  for (const Phase& p : options.phases) epochs_total += p.epochs;

  const std::string state_path = (std::filesystem::path(out_dir) / kStateFile).string();
  supernet::SuperNetwork net = options.initial_checkpoint.empty() || resume
                                   ? supernet::SuperNetwork(space, initial_weights_seed(options.seed))
                                   : supernet::SuperNetwork::from_checkpoint(space, options.initial_checkpoint);
  detail::Progress progress;
  progress.identity = options.identity;
  std::optional<detail::SavedState> saved;
  if (resume) {
    if (!std::filesystem::exists(state_path))
      throw Error(state_path + ": no training state to resume; fix: give --resume the folder of a run nasctl train "
                  "wrote (it holds " + std::string(kStateFile) + ")");
    saved = detail::read_state(state_path);
    const std::string difference = detail::identity_difference(saved->progress.identity, options.identity);
    if (!difference.empty())
      throw Error(state_path + ": the run was started with another config (" + difference +
                  "); fix: resume with the config it started with (config.toml in the run folder), or start a new "
                  "run in another folder");
    net.load(saved->network, state_path);
    progress.epochs_done = saved->progress.epochs_done;
    progress.steps_done = saved->progress.steps_done;
    progress.history = saved->progress.history;
  }
  net.to(options.device, options.channels_last);
  Optimiser optimiser(net, space, options);
  if (saved) optimiser.load_state(saved->optimiser, state_path);
  saved.reset();

  detail::Scoring scoring;
  scoring.calibration = datasets::seeded_subset(
      data.train, static_cast<std::size_t>(options.calibration_images),
      detail::derived_seed(options.seed, detail::Purpose::Validation, 0));
  scoring.validation = options.validation_images == 0
                           ? data.validation
                           : datasets::seeded_subset(data.validation, static_cast<std::size_t>(options.validation_images),
                                                     detail::derived_seed(options.seed, detail::Purpose::Validation, 1));
  scoring.calibration_batch = options.calibration_batch;
  scoring.device = options.device;
  scoring.channels_last = options.channels_last;

  TrainSummary summary;
  summary.epochs_total = epochs_total;
  summary.first_epoch = progress.epochs_done + 1;
  Activations activations(net);
  const at::Device device(options.device);
  const bool distil = options.sampler == Sampler::Sandwich && options.distillation;
  int64_t trained_this_call = 0;
  int64_t epoch = 0;  // 1-based over all phases
  bool stopped = false;
  for (std::size_t p = 0; p < options.phases.size() && !stopped; ++p) {
    const Phase& phase = options.phases[p];
    Schedule schedule;
    schedule.peak = phase.lr;
    schedule.total_steps = phase.epochs * steps_per_epoch;
    schedule.warmup_steps = static_cast<int64_t>(std::llround(phase.warmup_epochs * static_cast<double>(steps_per_epoch)));
    for (int64_t e = 0; e < phase.epochs; ++e) {
      ++epoch;
      if (epoch <= progress.epochs_done) continue;
      if (options.stop_after_epochs > 0 && trained_this_call == options.stop_after_epochs) {
        stopped = true;
        break;
      }
      // At the phase's first epoch only: a run resumed later in the phase
      // restored weights (and optimiser buffers) sorted already.
      if (e == 0 && phase.sort_channels) {
        const auto kept = trained_widths(elastic, sharing, channel_groups, phase_choices, p);
        int64_t moved = 0;
        for (const supernet::ChannelOrder& o : sort_channels(net, optimiser, channel_groups, kept)) moved += o.moved();
        if (callbacks.on_channels_sorted)
          callbacks.on_channels_sorted(
              {static_cast<int64_t>(p) + 1, static_cast<int64_t>(channel_groups.size()), moved});
      }
      std::vector<std::size_t> order = datasets::seeded_draw(
          data.train->size(), data.train->size(),
          detail::derived_seed(options.seed, detail::Purpose::EpochOrder, static_cast<uint64_t>(epoch)));
      order.resize(static_cast<std::size_t>(steps_per_epoch * options.batch_size));
      // The epoch's sub-networks, drawn up front (each step's from its own
      // seeded generator, so nothing depends on when they are drawn): the
      // loader must know each batch's size before it decodes it.
      std::vector<std::vector<Architecture>> step_archs;
      std::vector<int> step_sizes;
      for (int64_t s = 1; s <= steps_per_epoch; ++s) {
        Rng picks = detail::derived_rng(options.seed, detail::Purpose::SubNetworks, static_cast<uint64_t>(epoch),
                                        static_cast<uint64_t>(s));
        step_archs.push_back(
            step_architectures(elastic, phase_choices[p], options.sampler, options.random_per_step, picks));
        step_sizes.push_back(elastic.input_variables().empty() ? data.resolution
                                                               : elastic.input_size(step_archs.back().front()));
      }
      // Image folders augment as they decode (Once-for-All's training
      // transform, seeded per epoch, each batch at its step's size);
      // Fashion-MNIST's tensors are augmented below.
      datasets::AugmentOptions augment = augment_options(options, epoch);
      augment.batch_resolutions = step_sizes;
      datasets::BatchStream stream =
          reader_augments
              ? data.train->read_augmented(order, static_cast<std::size_t>(options.batch_size), data.resolution,
                                           augment)
              : data.train->read(order, static_cast<std::size_t>(options.batch_size), data.resolution);

      EpochReport report;
      report.epoch = epoch;
      report.phase = static_cast<int64_t>(p) + 1;
      report.steps = steps_per_epoch;
      // Loss and correct answers are summed where the step ran and read back
      // only every kReadEvery steps: a read waits for the device, and a wait
      // per step would idle a GPU between steps.
      constexpr int64_t kReadEvery = 25;
      at::Tensor loss_total = at::zeros({}, at::TensorOptions().dtype(at::kDouble).device(device));
      at::Tensor correct_total = at::zeros({}, at::TensorOptions().dtype(at::kLong).device(device));
      double loss_sum = 0.0;
      int64_t correct = 0, images = 0;
      const auto start = Clock::now();
      for (int64_t s = 1; s <= steps_per_epoch; ++s) {
        std::optional<datasets::Batch> batch = stream.next();
        at::Tensor x = batch->images;
        const std::vector<Architecture>& archs = step_archs[static_cast<std::size_t>(s - 1)];
        const int step_size = step_sizes[static_cast<std::size_t>(s - 1)];
        if (!reader_augments) {
          if (options.crop_padding > 0 || options.flip) {
            Rng augmentation = detail::derived_rng(options.seed, detail::Purpose::Augmentation,
                                                   static_cast<uint64_t>(epoch), static_cast<uint64_t>(s));
            x = detail::augment(x, options.crop_padding, options.flip, data.pad_value, augmentation);
          }
          // Elastic resolution: the augmented batch at the step's size, by
          // the resampling the dataset serves validation images with.
          x = datasets::resize_images(x, step_size);
        }
        if (x.size(2) != step_size)
          throw std::logic_error("step " + std::to_string(s) + ": a batch of " + std::to_string(x.size(2)) +
                                 " pixel images for sub-networks of " + std::to_string(step_size));
        x = x.to(device);
        if (options.channels_last) x = libtorch::channels_last(x);
        const at::Tensor y = batch->labels.to(device);

        report.lr = learning_rate(schedule, e * steps_per_epoch + (s - 1));

        optimiser.zero_grad();
        at::Tensor teacher;  // the largest's softmax, detached
        for (std::size_t k = 0; k < archs.size(); ++k) {
          supernet::SubNetwork& sub = activations.get(archs[k]);
          sub.train(true);
          at::Tensor logits;
          {
            const libtorch::Bf16Autocast autocast(options.bf16);
            logits = sub.forward(x);
          }
          const at::Tensor loss = k > 0 && distil ? detail::soft_cross_entropy(logits, teacher)
                                                  : detail::smoothed_cross_entropy(logits, y, options.label_smoothing);
          if (k == 0) {
            c10::NoGradGuard no_grad;
            const at::Tensor plain = logits.detach().to(at::kFloat);
            if (distil) teacher = at::softmax(plain, 1);
            loss_total.add_(loss.detach().to(at::kDouble));
            correct_total.add_(plain.argmax(1).eq(y).sum());
            images += y.size(0);
          }
          loss.backward();
        }
        optimiser.step(report.lr);
        ++progress.steps_done;
        if (s % kReadEvery == 0 || s == steps_per_epoch) {
          loss_sum = loss_total.item<double>();
          correct = correct_total.item<int64_t>();
        }
        if (callbacks.on_step) {
          StepReport step;
          step.epoch = epoch;
          step.epochs = epochs_total;
          step.step = s;
          step.steps = steps_per_epoch;
          step.phase = report.phase;
          step.lr = report.lr;
          // The figures of the last read (at most kReadEvery - 1 steps old).
          const int64_t read_steps = s == steps_per_epoch ? s : s - s % kReadEvery;
          step.loss = read_steps > 0 ? loss_sum / static_cast<double>(read_steps) : 0.0;
          step.train_top1 = read_steps > 0 ? 100.0 * static_cast<double>(correct) /
                                                 static_cast<double>(read_steps * options.batch_size)
                                           : 0.0;
          step.images = images;
          step.resolution = x.size(2);
          step.architectures = archs;
          callbacks.on_step(step);
        }
      }
      report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      report.loss = loss_sum / static_cast<double>(steps_per_epoch);
      report.train_top1 = 100.0 * static_cast<double>(correct) / static_cast<double>(images);
      report.images_per_second = report.seconds > 0 ? static_cast<double>(images) / report.seconds : 0.0;
      // Each at its own input size (elastic resolution: the largest at the
      // largest, the smallest at the smallest).
      scoring.resolution = elastic.input_size(largest);
      report.top1_largest = detail::top1(net, largest, scoring);
      scoring.resolution = elastic.input_size(smallest);
      report.top1_smallest = smallest == largest ? report.top1_largest : detail::top1(net, smallest, scoring);

      // The checkpoint first, the state (the commit point of --resume) last:
      // killed in between, a resume repeats this epoch from the previous
      // state and writes the same checkpoint again.
      progress.epochs_done = epoch;
      progress.history.push_back(report);
      const supernet::StateDict tensors = detached(net.state_dict());
      const std::filesystem::path folder(out_dir);
      supernet::write_checkpoint(tensors, (folder / kCheckpointFile).string());
      detail::write_state(state_path, tensors, optimiser.state(), progress);
      detail::write_metrics((folder / kMetricsFile).string(), progress.history);
      ++trained_this_call;
      if (callbacks.on_epoch) callbacks.on_epoch(report);
    }
  }
  summary.epochs_done = progress.epochs_done;
  summary.finished = progress.epochs_done == epochs_total;
  summary.history = progress.history;
  return summary;
}

}  // namespace nasctl::train
