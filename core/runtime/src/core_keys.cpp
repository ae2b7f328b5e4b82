// The declarations of nasctl's own config keys (core_keys.hpp). Checks one
// key cannot express alone (exactly one of max/min, a budget at all,
// seconds > 0) stay in config.cpp, next to the code that reads the values.
#include "nasctl/runtime/core_keys.hpp"

#include <stdexcept>

namespace nasctl::runtime {

namespace {

ConfigKey required_choice(std::string name, std::vector<std::string> allowed, std::string doc) {
  ConfigKey key = ConfigKey::needed(std::move(name), ConfigType::String, std::move(doc));
  key.allowed = std::move(allowed);
  return key;
}

std::vector<CoreTable> declare() {
  std::vector<CoreTable> tables;
  tables.push_back(CoreTable{
      "", false, "Top-level keys", "",
      {ConfigKey::integer("seed", 42,
                          "Seed of the search strategy (and of plugins that draw randomly). Same seed + same "
                          "config = same results")
           .at_least(0),
       ConfigKey::string("out", "runs/latest",
                         "Output folder of `nasctl search` (overridden by `-o`). Must not already hold a run; "
                         "continue one with `--resume DIR`")}});
  tables.push_back(CoreTable{
      "objectives", true, "`[[objectives]]` (one or more)", "",
      {ConfigKey::needed("metric", ConfigType::String,
                         "`<instance>.<metric>`, e.g. `accuracy.top1_pred`, `cpu.latency_ms`"),
       required_choice("goal", {"min", "max"}, "Direction: `min` (smaller is better) or `max`")}});
  tables.push_back(CoreTable{
      "constraints", true, "`[[constraints]]` (any number)",
      "Each constraint gives exactly one of `max` and `min`.",
      {ConfigKey::needed("metric", ConfigType::String, "`<instance>.<metric>`, e.g. `cpu.latency_ms`"),
       ConfigKey::optional("max", ConfigType::Float, "The metric must be <= max"),
       ConfigKey::optional("min", ConfigType::Float, "The metric must be >= min")}});
  tables.push_back(CoreTable{
      "budget", false, "`[budget]` (required: at least one key)", "",
      {ConfigKey::optional("evaluations", ConfigType::Int,
                           "Distinct architectures evaluated. Architectures a strategy proposes again are answered "
                           "from the records and cost nothing")
           .at_least(1),
       ConfigKey::optional("seconds", ConfigType::Float,
                           "Wall-clock limit (> 0) over all sessions of the run (a resumed run continues the clock), "
                           "checked between batches")}});
  tables.push_back(CoreTable{
      "run", false, "`[run]` (optional)", "",
      {ConfigKey::integer("threads", 0,
                          "Threads evaluating thread-safe metric providers in parallel; 0: all cores. Timing "
                          "providers (`measure`) always run alone. Results do not depend on it, except measured "
                          "latencies")
           .at_least(0),
       ConfigKey::integer("batch", 0,
                          "Candidates asked from the strategy at a time; 0: the strategy's preference (a "
                          "generation for `nsga2`). Part of what makes a run reproducible: changing it changes the "
                          "run")
           .at_least(0)}});
  tables.push_back(CoreTable{
      "plugins", false, "`[plugins]` (optional)", "",
      {ConfigKey::list("paths", ConfigType::StringList, std::vector<std::string>{},
                       "Extra plugin folders (or `.so` files), searched after the built-in folder and "
                       "`NAS_PLUGIN_PATH`; relative paths resolve against the config file's folder. A folder that "
                       "does not exist is an error")}});
  tables.push_back(CoreTable{
      "train", false, "`[train]` (`nasctl train`; docs/train.md)",
      "Trains the [space]'s super-network. A config with [train] and no [search] only trains; give either "
      "`epochs` (one phase, every variable elastic) or [[train.phases]].",
      {ConfigKey::string("dataset", "fashion-mnist",
                         "\"fashion-mnist\" (Debian's dataset-fashion-mnist, augmented by crop_padding and flip), "
                         "or an image folder in the ImageNet layout (one sub-folder per class; Once-for-All's "
                         "training transform: random resized crop + flip; relative to the config's folder)"),
       ConfigKey::string("fashion_mnist_folder", "/usr/share/datasets/fashion-mnist",
                         "Where the Fashion-MNIST idx files are"),
       ConfigKey::integer("loader_threads", 0, "Image folders: decoding threads; 0: one per core").at_least(0),
       ConfigKey::integer("validation_split", 10000,
                          "Training images set aside (seeded by split_seed) as the validation split; the rest are "
                          "trained on")
           .at_least(1),
       ConfigKey::integer("split_seed", 0, "Seed of the validation split (as the `supernet` source's)").at_least(0),
       ConfigKey::integer("train_images", 0,
                          "Train on a seeded subset of this many training images (quick runs, tests); 0: all")
           .at_least(0),
       ConfigKey::integer("validation_images", 0,
                          "Images of the validation split each epoch's top-1 is measured on (a seeded subset); 0: all")
           .at_least(0),
       ConfigKey::integer("calibration_images", 2000,
                          "Training images the batch norms of the validated sub-networks are re-calibrated on "
                          "(Once-for-All: 2000)")
           .at_least(1),
       ConfigKey::integer("calibration_batch", 200, "Images per re-calibration batch (Once-for-All: 200)").at_least(1),
       ConfigKey::optional("epochs", ConfigType::Int,
                           "Epochs of a single phase in which every variable is elastic (instead of [[train.phases]])")
           .at_least(1),
       ConfigKey::integer("batch_size", 64, "Images per step; at most the number of training images").at_least(1),
       ConfigKey::string("subnetwork", "",
                         "Train this one sub-network alone (an architecture string of the space; needs sampler = "
                         "\"spos\"): a stand-alone baseline for ranking fidelity, or a picked network retrained "
                         "from scratch. Empty: the super-network"),
       ConfigKey::choice("sampler", "spos", {"spos", "sandwich"},
                         "Sub-networks per step: \"spos\" one drawn uniformly (single-path one-shot), \"sandwich\" "
                         "the largest, the smallest and random_per_step random ones, gradients accumulated"),
       ConfigKey::integer("random_per_step", 2, "sandwich: random sub-networks per step besides the largest and the "
                                                "smallest (BigNAS, OFA: 2)")
           .at_least(0),
       ConfigKey::boolean("distillation", true,
                          "sandwich: in-place distillation, every sub-network but the largest learns the largest's "
                          "detached soft outputs (soft cross-entropy) instead of the labels"),
       ConfigKey::choice("optimizer", "sgd", {"sgd", "adamw"}, "\"sgd\" (with momentum) or \"adamw\""),
       ConfigKey::real("lr", 0.05, "Peak learning rate (> 0); phases may set their own").at_least(0),
       ConfigKey::real("warmup_epochs", 0.0,
                       "Linear warm-up from 0 to lr at the start of each phase, in epochs (fractions allowed); then "
                       "a cosine decay to 0, per step")
           .at_least(0),
       ConfigKey::real("momentum", 0.9, "sgd: momentum").at_least(0).at_most(0.999),
       ConfigKey::boolean("nesterov", true, "sgd: Nesterov momentum"),
       ConfigKey::real("beta1", 0.9, "adamw: first moment decay").at_least(0).at_most(0.999999),
       ConfigKey::real("beta2", 0.999, "adamw: second moment decay").at_least(0).at_most(0.999999),
       ConfigKey::real("weight_decay", 3e-5,
                       "Weight decay of convolution and linear weights (and elastic kernel matrices); never of "
                       "batch-norm parameters or biases")
           .at_least(0),
       ConfigKey::real("label_smoothing", 0.1, "Label smoothing of the cross-entropy (Once-for-All: 0.1)")
           .at_least(0)
           .at_most(0.999),
       ConfigKey::integer("crop_padding", 2,
                          "Augmentation: random crop of the image padded by this many pixels on every side (0: none)")
           .at_least(0)
           .at_most(16),
       ConfigKey::boolean("flip", true, "Augmentation: random horizontal flip"),
       ConfigKey::choice("color_jitter", "none", {"none", "tf"},
                         "Image folders: Once-for-All's `distort_color` after the crop and flip. \"none\" (OFA's "
                         "default), or \"tf\": torchvision's ColorJitter(brightness = 32/255, saturation = 0.5), "
                         "factors drawn per image from the seed. OFA's \"torch\" (with hue) is not offered"),
       ConfigKey::integer("seed", 0,
                          "Seed of the initial weights, the epoch order, the sub-networks drawn and the augmentation")
           .at_least(0),
       ConfigKey::choice("device", "cpu", {"cpu", "cuda"},
                         "\"cpu\", or \"cuda\" (needs nasctl built against a CUDA LibTorch and a GPU)"),
       ConfigKey::integer("threads", 1,
                          "LibTorch and OpenBLAS threads (0: LibTorch's default). Results on the CPU are "
                          "reproducible for a fixed seed and thread count")
           .at_least(0),
       ConfigKey::boolean("bf16", false, "cuda: forward passes under bfloat16 autocast"),
       ConfigKey::boolean("channels_last", false, "Images (and so activations) and the shared 4-d weights in channels-last memory order")}});
  tables.push_back(CoreTable{
      "train.phases", true, "`[[train.phases]]` (optional: progressive shrinking)",
      "Phases run in order, each with its own learning-rate schedule; a variable not elastic in a phase is held at "
      "its largest choice.",
      {ConfigKey::needed("elastic", ConfigType::StringList,
                         "Variables drawn in this phase: a name (\"ks3\"), a family (\"ks\": ks0, ks1, ...), "
                         "optionally \":N\" for its N largest choices (\"d:2\"); [] trains the largest only"),
       ConfigKey::needed("epochs", ConfigType::Int, "Epochs of the phase").at_least(1),
       ConfigKey::optional("lr", ConfigType::Float, "Peak learning rate of the phase (> 0); default: [train] lr"),
       ConfigKey::optional("warmup_epochs", ConfigType::Float, "Warm-up of the phase; default: [train] warmup_epochs")
           .at_least(0),
       ConfigKey::boolean("sort_channels", false,
                          "Before the phase, put each block's middle (and squeeze-excite) channels in order of "
                          "importance (L1 norm), keeping the widths earlier phases trained, as Once-for-All does "
                          "before each elastic-width phase; needs a space with channel groups (ofa-mobilenetv3, "
                          "ofa-resnet50)")}});
  return tables;
}

}  // namespace

const std::vector<CoreTable>& core_tables() {
  static const std::vector<CoreTable> tables = declare();
  return tables;
}

const CoreTable& core_table(std::string_view path) {
  for (const auto& table : core_tables())
    if (table.path == path) return table;
  throw std::logic_error("core_table: no table '" + std::string(path) + "' is declared");
}

const std::vector<std::string>& plugin_section_names() {
  static const std::vector<std::string> names = {"space", "search", "hardware", "accuracy"};
  return names;
}

}  // namespace nasctl::runtime
