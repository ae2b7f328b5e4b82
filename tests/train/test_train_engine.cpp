// nasctl::train's pieces on the grey small-stem OFA super-network: which
// sub-networks a step trains, what a phase holds fixed, the learning-rate
// schedule, which tensors the optimiser decays, that training on a small
// fixed Fashion-MNIST subset lowers the loss, elastic resolution on an
// image folder (one size per step, the batches at that size), and channel
// sorting before a phase (the widths kept, the optimiser's buffers moved).
#include "torch_doctest.hpp"  // first: LibTorch's CHECK must not replace doctest's

#include <ATen/Context.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dataset_files.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/error.hpp"
#include "nasctl/supernet/channel_sorting.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "nasctl/supernet/slicing.hpp"
#include "nasctl/torch/channels_last.hpp"
#include "nasctl/torch/latency.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/train/elastic.hpp"
#include "nasctl/train/optimiser.hpp"
#include "nasctl/train/phase_sorting.hpp"
#include "nasctl/train/schedule.hpp"
#include "nasctl/train/trainer.hpp"
#include "nasctl/weight_sharing.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

const std::map<std::string, ConfigValue> kGreyKeys{{"width", 0.35},
                                                   {"classes", int64_t{10}},
                                                   {"input_channels", int64_t{1}},
                                                   {"stem", std::string("small")},
                                                   {"resolutions", std::vector<int64_t>{28}}};

bool is_family(const std::string& name, const std::string& family) {
  return name.rfind(family, 0) == 0 && name.size() > family.size() &&
         std::isdigit(static_cast<unsigned char>(name[family.size()]));
}

}  // namespace

TEST_CASE("choices are ordered largest first: kernel 7 5 3 and expand 6 4 3 and depth 4 3 2") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::ElasticSpace elastic(*space);
  CHECK(elastic.order(0) == std::vector<int>{2, 1, 0});                            // ks0: {3, 5, 7}
  CHECK(elastic.order(OfaMobileNetV3::kEBase) == std::vector<int>{2, 1, 0});       // e0: {3, 4, 6}
  CHECK(elastic.order(OfaMobileNetV3::kDBase) == std::vector<int>{2, 1, 0});       // d0: {2, 3, 4}
  const Architecture largest = elastic.largest(elastic.all());
  const Architecture smallest = elastic.smallest(elastic.all());
  CHECK(count_cost(space->lower(largest)).macs > count_cost(space->lower(smallest)).macs);
  CHECK(largest[OfaMobileNetV3::kDBase] == 2);
  CHECK(smallest[OfaMobileNetV3::kDBase] == 0);
}

TEST_CASE("sandwich trains the largest then the smallest then n random sub-networks in every step and SPOS one") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::ElasticSpace elastic(*space);
  const train::PhaseChoices all = elastic.all();
  Rng rng(7);
  std::set<Architecture> randoms;
  for (int step = 0; step < 20; ++step) {
    const auto archs = train::step_architectures(elastic, all, train::Sampler::Sandwich, 2, rng);
    REQUIRE(archs.size() == 4);
    CHECK(archs[0] == elastic.largest(all));
    CHECK(archs[1] == elastic.smallest(all));
    randoms.insert(archs[2]);
    randoms.insert(archs[3]);
    CHECK(train::step_architectures(elastic, all, train::Sampler::Spos, 2, rng).size() == 1);
  }
  // The random ones are drawn, not fixed.
  CHECK(randoms.size() > 30);
  // Nothing elastic: the largest is all four, and is trained once.
  const auto alone = train::step_architectures(elastic, elastic.phase({}), train::Sampler::Sandwich, 2, rng);
  REQUIRE(alone.size() == 1);
  CHECK(alone[0] == elastic.largest(all));
}

TEST_CASE("a phase holds every variable it does not name at its largest choice") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::ElasticSpace elastic(*space);
  const train::PhaseChoices kernel_only = elastic.phase({"ks"});
  Rng rng(3);
  std::set<int> kernels_seen;
  for (int i = 0; i < 50; ++i) {
    const Architecture arch = elastic.random(kernel_only, rng);
    for (std::size_t v = 0; v < space->variables().size(); ++v) {
      const std::string& name = space->variables()[v].name;
      if (is_family(name, "ks")) kernels_seen.insert(arch[v]);
      else CHECK_MESSAGE(arch[v] == elastic.order(v).front(), name << " is not at its largest");
    }
  }
  CHECK(kernels_seen == std::set<int>{0, 1, 2});
  // "d:2": depths 4 and 3 only; the kernels are back at 7.
  const train::PhaseChoices two_depths = elastic.phase({"d:2"});
  std::set<int> depths_seen;
  for (int i = 0; i < 50; ++i) {
    const Architecture arch = elastic.random(two_depths, rng);
    for (int s = 0; s < OfaMobileNetV3::kStages; ++s) depths_seen.insert(arch[OfaMobileNetV3::kDBase + s]);
    CHECK(arch[OfaMobileNetV3::kEBase] == 2);
  }
  CHECK(depths_seen == std::set<int>{1, 2});
  // No elastic variable: the largest sub-network only.
  CHECK(elastic.random(elastic.phase({}), rng) == elastic.largest(elastic.all()));
}

TEST_CASE("a phase naming a variable the space lacks is one line naming it and the space's variables") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::ElasticSpace elastic(*space);
  try {
    elastic.phase({"ks", "kernel"});
    FAIL("no error");
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK(message.find("'kernel'") != std::string::npos);
    CHECK(message.find("ks (ks0..ks19), e (e0..e19), d (d0..d4), r") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
  CHECK_THROWS_AS(elastic.phase({"d:4"}), Error);  // d has 3 choices
  CHECK_THROWS_AS(elastic.phase({"d:x"}), Error);
}

TEST_CASE("the learning rate warms up linearly and then follows a cosine down to zero") {
  const train::Schedule schedule{0.1, 4, 14};
  CHECK(train::learning_rate(schedule, 0) == doctest::Approx(0.025));
  CHECK(train::learning_rate(schedule, 3) == doctest::Approx(0.1));
  CHECK(train::learning_rate(schedule, 4) == doctest::Approx(0.1));      // cosine starts at the peak
  CHECK(train::learning_rate(schedule, 9) == doctest::Approx(0.05));     // half-way through the decay
  CHECK(train::learning_rate(schedule, 14) == doctest::Approx(0.0).epsilon(1e-12));
  const train::Schedule no_warmup{0.2, 0, 10};
  CHECK(train::learning_rate(no_warmup, 0) == doctest::Approx(0.2));
}

TEST_CASE("weight decay shrinks convolution and linear weights only and never batch norms or biases") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const auto& sharing = dynamic_cast<const WeightSharing&>(*space);
  for (const auto kind : {train::OptimiserKind::Sgd, train::OptimiserKind::AdamW}) {
    CAPTURE(static_cast<int>(kind));
    supernet::SuperNetwork net(*space, 5);
    train::TrainOptions options;
    options.optimiser = kind;
    options.momentum = 0.0;
    options.weight_decay = 0.5;
    train::Optimiser optimiser(net, *space, options);
    std::map<std::string, at::Tensor> before;
    const supernet::StateDict held = net.state_dict();
    for (const std::string& name : held.names()) before[name] = held.at(name).detach().clone();
    // A zero gradient everywhere: only the decay can change a tensor.
    for (const std::string& name : optimiser.parameter_names())
      held.at(name).mutable_grad() = at::zeros_like(held.at(name));
    optimiser.step(1.0);

    const std::vector<std::string> decayed = optimiser.decayed_names();
    const std::vector<std::string> parameters = optimiser.parameter_names();
    int decayed_seen = 0, kept_seen = 0, statistics = 0;
    for (const SharedTensor& t : sharing.shared_tensors()) {
      CAPTURE(t.name);
      const at::Tensor now = held.at(t.name).detach();
      const bool in_decayed = std::find(decayed.begin(), decayed.end(), t.name) != decayed.end();
      const bool in_parameters = std::find(parameters.begin(), parameters.end(), t.name) != parameters.end();
      switch (t.kind) {
        case SharedTensorKind::ConvWeight:
        case SharedTensorKind::LinearWeight:
        case SharedTensorKind::KernelTransform:
          CHECK(in_decayed);
          // p <- p - lr * wd * p (SGD) or p * (1 - lr * wd) (AdamW): half of it.
          CHECK(at::allclose(now, before[t.name] * 0.5, 1e-6, 1e-7));
          ++decayed_seen;
          break;
        case SharedTensorKind::Bias:
        case SharedTensorKind::BatchNormScale:
        case SharedTensorKind::BatchNormShift:
          CHECK(in_parameters);
          CHECK_FALSE(in_decayed);
          CHECK(at::equal(now, before[t.name]));
          ++kept_seen;
          break;
        case SharedTensorKind::BatchNormMean:
        case SharedTensorKind::BatchNormVariance:
          CHECK_FALSE(in_parameters);  // statistics are not learned
          CHECK(at::equal(now, before[t.name]));
          ++statistics;
          break;
      }
    }
    CHECK(decayed_seen > 0);
    CHECK(kept_seen > 0);
    CHECK(statistics > 0);
  }
}

TEST_CASE("SGD with Nesterov momentum steps as torch.optim.SGD does and its state restores exactly") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  supernet::SuperNetwork net(*space, 5);
  train::TrainOptions options;
  options.momentum = 0.9;
  options.nesterov = true;
  options.weight_decay = 0.0;
  train::Optimiser optimiser(net, *space, options);
  const std::string name = "classifier.linear.weight";
  const at::Tensor w = net.state_dict().at(name);
  const at::Tensor start = w.detach().clone();
  const at::Tensor g = at::full_like(w, 0.5);
  for (int i = 0; i < 2; ++i) {
    optimiser.zero_grad();
    w.mutable_grad() = g.clone();
    optimiser.step(0.1);
  }
  // buf1 = g, step g + 0.9 g; buf2 = 0.9 g + g, step g + 0.9 * 1.9 g.
  const at::Tensor expected = start - 0.1 * (g * 1.9) - 0.1 * (g * (1.0 + 0.9 * 1.9));
  CHECK(at::allclose(w.detach(), expected, 1e-6, 1e-7));
  const supernet::StateDict state = optimiser.state();
  CHECK(at::allclose(state.at("optimiser." + name + ".first"), g * 1.9));
  train::Optimiser restored(net, *space, options);
  restored.load_state(state, "test");
  CHECK(at::equal(restored.state().at("optimiser." + name + ".first"), state.at("optimiser." + name + ".first")));
}

TEST_CASE("training the largest sub-network lowers the loss on a small fixed Fashion-MNIST subset") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const datasets::FashionMnist fashion = datasets::open_fashion_mnist();
  train::TrainData data;
  data.train = datasets::seeded_subset(fashion.train, 128, 1);
  data.validation = datasets::seeded_subset(fashion.validation, 100, 1);
  data.resolution = 28;
  data.pad_value = -datasets::kFashionMnistMean / datasets::kFashionMnistStd;
  train::TrainOptions options;
  options.phases = {train::Phase{{}, 3, 0.1, 0.0}};  // nothing elastic: the largest only
  options.batch_size = 16;
  options.calibration_images = 64;
  options.calibration_batch = 64;
  options.threads = 1;
  test::TempDir dir("train-loss");
  const train::TrainSummary summary = train::train_supernet(*space, data, options, dir.path().string(), false);
  REQUIRE(summary.history.size() == 3);
  CHECK(summary.finished);
  INFO("losses: " << summary.history[0].loss << " " << summary.history[1].loss << " " << summary.history[2].loss);
  // From about ln(10) = 2.30 at the start; a margin far wider than any
  // rounding difference between machines.
  CHECK(summary.history[0].loss > 1.9);
  CHECK(summary.history[2].loss < summary.history[0].loss - 0.3);
  CHECK(summary.history[2].train_top1 > summary.history[0].train_top1);
}

namespace {

train::TrainData small_fashion_data(std::size_t train_images) {
  const datasets::FashionMnist fashion = datasets::open_fashion_mnist();
  train::TrainData data;
  data.train = datasets::seeded_subset(fashion.train, train_images, 1);
  data.validation = datasets::seeded_subset(fashion.validation, 100, 1);
  data.resolution = 28;
  data.pad_value = -datasets::kFashionMnistMean / datasets::kFashionMnistStd;
  return data;
}

train::TrainOptions quick_options() {
  train::TrainOptions options;
  options.phases = {train::Phase{{}, 1, 0.05, 0.0}};
  options.batch_size = 16;
  options.calibration_images = 32;
  options.calibration_batch = 32;
  options.threads = 1;
  return options;
}

}  // namespace

TEST_CASE("a sub-network trained alone moves its own tensors only and is the one validated") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::ElasticSpace elastic(*space);
  const Architecture smallest = elastic.smallest(elastic.all());
  train::TrainOptions options = quick_options();
  options.sampler = train::Sampler::Spos;
  options.subnetwork = space->to_string(smallest);
  test::TempDir dir("train-alone");
  const train::TrainSummary summary =
      train::train_supernet(*space, small_fashion_data(64), options, dir.path().string(), false);
  REQUIRE(summary.history.size() == 1);
  CHECK(summary.history[0].top1_largest == summary.history[0].top1_smallest);

  // Depth 2 everywhere: the third and fourth block of every stage are never
  // used, so their weights keep the initial (seeded) values.
  const supernet::SuperNetwork untouched(*space, train::initial_weights_seed(options.seed));
  const supernet::StateDict trained = supernet::read_checkpoint((dir.path() / train::kCheckpointFile).string());
  int unused_equal = 0, used_moved = 0;
  for (const std::string& name : trained.names()) {
    const at::Tensor before = untouched.state_dict().at(name);
    const at::Tensor after = trained.at(name);
    if (name.find("blocks.4.") == 0 && name.find("weight") != std::string::npos) unused_equal += at::equal(before, after);
    if (name == "classifier.linear.weight") used_moved += !at::equal(before, after);
  }
  CHECK(unused_equal > 0);
  CHECK(used_moved == 1);

  options.sampler = train::Sampler::Sandwich;
  test::TempDir other("train-alone-sandwich");
  CHECK_THROWS_WITH_AS(train::train_supernet(*space, small_fashion_data(64), options, other.path().string(), false),
                       doctest::Contains("spos"), Error);
}

TEST_CASE("channels-last training holds the shared weights channels-last and trains as the default order does") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::TrainData data = small_fashion_data(48);
  // Every variable elastic, so that smaller kernels (cut through the
  // transformation matrices), fewer channels and fewer blocks are all cut
  // from channels-last shared tensors.
  auto run = [&](bool channels_last, const std::string& name) {
    train::TrainOptions options = quick_options();
    options.sampler = train::Sampler::Sandwich;
    options.random_per_step = 1;
    options.phases = {train::Phase{{"ks", "e", "d"}, 1, 0.05, 0.0}};
    options.channels_last = channels_last;
    test::TempDir dir(name);
    const train::TrainSummary summary = train::train_supernet(*space, data, options, dir.path().string(), false);
    return std::make_pair(summary.history.at(0),
                          supernet::read_checkpoint((dir.path() / train::kCheckpointFile).string()));
  };
  const auto [plain, plain_tensors] = run(false, "train-nchw");
  const auto [last, last_tensors] = run(true, "train-nhwc");
  INFO("loss nchw " << plain.loss << ", channels-last " << last.loss);
  // The same arithmetic in another order of memory: rounding differs, so a
  // tolerance, far below what a wrong cut (another channel, another kernel
  // centre) would change.
  CHECK(std::abs(last.loss - plain.loss) < 1e-3 * plain.loss);
  int compared = 0;
  for (const std::string& name : plain_tensors.names()) {
    const at::Tensor a = plain_tensors.at(name), b = last_tensors.at(name);
    REQUIRE(a.sizes() == b.sizes());
    CHECK(b.is_contiguous());  // written in the usual order
    if (a.dim() == 4 && name.find("blocks.1.") == 0) {
      INFO(name);
      CHECK(at::allclose(a, b, 1e-3, 1e-4));
      ++compared;
    }
  }
  CHECK(compared > 0);
}

TEST_CASE("on CUDA a float32 epoch follows the CPU's, and bf16 with channels-last trains (skipped without a GPU)") {
  if (libtorch::cuda_device_count() == 0) {
    MESSAGE("skipped: no CUDA device (" << libtorch::cuda_unavailable_reason() << ")");
    return;
  }
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::TrainData data = small_fashion_data(64);
  auto run = [&](const std::string& device, bool bf16, const std::string& name) {
    train::TrainOptions options = quick_options();
    options.device = device;
    options.bf16 = bf16;
    options.channels_last = bf16;
    test::TempDir dir(name);
    const train::TrainSummary summary = train::train_supernet(*space, data, options, dir.path().string(), false);
    return std::make_pair(summary.history.at(0),
                          supernet::read_checkpoint((dir.path() / train::kCheckpointFile).string()));
  };
  // cuDNN convolutes float32 in TF32 by default (10-bit mantissa), which
  // on the H100 moved the epoch's loss 0.8% from the CPU's: the float32
  // comparison runs with TF32 off, the bf16 run below with the defaults.
  at::Context& context = at::globalContext();
  const bool tf32_cudnn = context.allowTF32CuDNN(), tf32_cublas = context.allowTF32CuBLAS();
  context.setAllowTF32CuDNN(false);
  context.setAllowTF32CuBLAS(false);
  const auto [cpu, cpu_tensors] = run("cpu", false, "train-cpu");
  const auto [cuda, cuda_tensors] = run("cuda", false, "train-cuda");
  context.setAllowTF32CuDNN(tf32_cudnn);
  context.setAllowTF32CuBLAS(tf32_cublas);
  INFO("loss cpu " << cpu.loss << ", cuda " << cuda.loss);
  // Measured on the H100 with TF32 off: 0.04 % to 0.09 % apart over three
  // runs (cuDNN's algorithm choice varies between runs); TF32 gave 0.8 %.
  CHECK(std::abs(cuda.loss - cpu.loss) < 3e-3 * cpu.loss);
  const at::Tensor a = cpu_tensors.at("classifier.linear.weight"), b = cuda_tensors.at("classifier.linear.weight");
  CHECK(b.device().is_cpu());  // checkpoints are written from the CPU
  // Element-wise closeness is too strict after an epoch of SGD: the GPU's
  // reduction order differs from the CPU's, and the rounding differences
  // compound step by step (on the H100 a few weights differed by more than
  // 1e-3 relative while the loss agreed to 0.09 %). The weights as a whole
  // must agree: on the H100 |cpu - cuda| / |cpu| was 0.0036 (TF32 off), and
  // the bound leaves a margin of about 5x over that drift.
  const double relative = (a - b).norm().item<double>() / a.norm().item<double>();
  INFO("classifier weights: |cpu - cuda| / |cpu| = " << relative);
  CHECK(relative < 2e-2);
  const auto [mixed, mixed_tensors] = run("cuda", true, "train-bf16");
  CHECK(std::isfinite(mixed.loss));
  CHECK(std::abs(mixed.loss - cpu.loss) < 0.05 * cpu.loss);
  CHECK_FALSE(at::equal(mixed_tensors.at("classifier.linear.weight"), a));
}

TEST_CASE("on CUDA channels-last holds depthwise and 1x1 filters in NHWC strides and a step's gradients stay (skipped without a GPU)") {
  if (libtorch::cuda_device_count() == 0) {
    MESSAGE("skipped: no CUDA device (" << libtorch::cuda_unavailable_reason() << ")");
    return;
  }
  // The grey small-stem space has all three kinds of tensor whose NCHW
  // strides also pass as channels-last contiguous (the 1-channel stem
  // filter, depthwise [C, 1, k, k], 1x1 [out, in, 1, 1]); cuDNN picks its
  // NHWC kernels from the strides, so on CUDA each must have NHWC ones, its
  // cuts too (slices and kernel transformations).
  const at::TensorOptions cuda = at::TensorOptions().device(at::kCUDA);
  const at::Tensor shared = libtorch::channels_last(at::randn({8, 1, 7, 7}, cuda));
  CHECK(shared.suggest_memory_format() == at::MemoryFormat::ChannelsLast);
  CHECK(supernet::cut_shared_tensor(shared, {6, 1, 5, 5}).suggest_memory_format() == at::MemoryFormat::ChannelsLast);
  CHECK(supernet::cut_shared_tensor(shared, {6, 1, 5, 5}, {supernet::KernelTransform{5, at::randn({25, 25}, cuda)}})
            .suggest_memory_format() == at::MemoryFormat::ChannelsLast);

  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const train::ElasticSpace elastic(*space);
  Architecture arch = elastic.smallest(elastic.all());
  arch[0] = 1;  // a middle kernel for the first block: a transformation step
  const at::Tensor x = at::randn({8, 1, 28, 28}, cuda);
  const at::Tensor weights = at::randn({8, 10}, cuda);
  // One step's gradients, not a few steps' weights: training amplifies the
  // rounding of another summation order (PyTorch's own network, NCHW
  // against NHWC, ends three steps at lr 0.05 with half its filters 1e-3
  // apart), while a wrong cut (another channel, another kernel centre)
  // moves a step's gradients far.
  auto gradients = [&](bool channels_last) {
    supernet::SuperNetwork net(*space, 7);
    net.to("cuda", channels_last);
    const supernet::StateDict held = net.state_dict();
    int depthwise = 0, pointwise = 0;
    for (const std::string& name : held.names()) {
      const at::Tensor t = held.at(name);
      if (name.find("running_") == std::string::npos && name.find("num_batches") == std::string::npos)
        t.requires_grad_(true);
      if (channels_last && t.dim() == 4) {
        INFO(name);
        CHECK(t.suggest_memory_format() == at::MemoryFormat::ChannelsLast);
        depthwise += t.size(1) == 1 && t.size(2) > 1;
        pointwise += t.size(2) == 1 && t.size(3) == 1;
      }
    }
    if (channels_last) {
      CHECK(depthwise > 0);
      CHECK(pointwise > 0);
    }
    supernet::SubNetwork sub = net.activate(arch);
    sub.train(true);
    (sub.forward(channels_last ? libtorch::channels_last(x) : x) * weights).sum().backward();
    std::map<std::string, at::Tensor> out;
    for (const std::string& name : held.names())
      if (held.at(name).grad().defined()) out[name] = held.at(name).grad().contiguous().cpu();
    return out;
  };
  at::Context& context = at::globalContext();  // TF32 off, as in the case above
  const bool tf32_cudnn = context.allowTF32CuDNN(), tf32_cublas = context.allowTF32CuBLAS();
  context.setAllowTF32CuDNN(false);
  context.setAllowTF32CuBLAS(false);
  const auto plain = gradients(false), last = gradients(true);
  context.setAllowTF32CuDNN(tf32_cudnn);
  context.setAllowTF32CuBLAS(tf32_cublas);
  REQUIRE(plain.size() == last.size());
  // One scale for all: gradients that are zero in exact arithmetic (a batch
  // norm's shift before another batch norm) are rounding noise in both
  // orders, so a bound relative to each tensor's own size would fail there.
  double scale = 0.0;
  for (const auto& [name, g] : plain) scale = std::max(scale, g.abs().max().item<double>());
  REQUIRE(scale > 0.0);
  int filters = 0;
  for (const auto& [name, g] : plain) {
    INFO(name);
    REQUIRE(last.count(name) == 1);
    CHECK((last.at(name) - g).abs().max().item<double>() <= 1e-4 * scale);
    filters += g.dim() == 4;
  }
  CHECK(filters > 0);
}

namespace {

// An RGB space with two resolutions (elastic resolution) and a folder of
// 3 classes x 6 patterned PNGs for it.
const std::map<std::string, ConfigValue> kElasticKeys{
    {"width", 0.35}, {"classes", int64_t{3}}, {"stem", std::string("small")},
    {"resolutions", std::vector<int64_t>{40, 32}}};

train::TrainData small_folder_data(const std::filesystem::path& root) {
  for (int c = 0; c < 3; ++c) {
    std::filesystem::create_directories(root / ("c" + std::to_string(c)));
    for (int i = 0; i < 6; ++i)
      datasets::test::write_png(root / ("c" + std::to_string(c)) / ("i" + std::to_string(i) + ".png"),
                                datasets::test::patterned_image(50 + 4 * i, 44 + 3 * c, 13 * c + i));
  }
  datasets::ImageFolderOptions folder_options;
  folder_options.root = root;
  folder_options.threads = 2;
  const datasets::TrainValidation parts =
      datasets::split_train_validation(datasets::open_image_folder(folder_options), 6, 0);
  train::TrainData data;
  data.train = parts.train;
  data.validation = parts.validation;
  data.resolution = 40;
  return data;
}

}  // namespace

TEST_CASE("elastic resolution: the resolution is an input variable, drawn once per step for all its sub-networks") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kElasticKeys);
  const train::ElasticSpace elastic(*space);
  CHECK(elastic.input_variables() == std::vector<std::size_t>{OfaMobileNetV3::kRIndex});
  CHECK(elastic.input_sizes(elastic.all()) == std::vector<int>{40, 32});
  CHECK(elastic.input_sizes(elastic.phase({"ks"})) == std::vector<int>{40});  // r held at its largest
  // A grey single-resolution space has none.
  CHECK(train::ElasticSpace(*test::make_plugin<OfaMobileNetV3>(kGreyKeys)).input_variables().empty());

  for (const train::Sampler sampler : {train::Sampler::Sandwich, train::Sampler::Spos}) {
    std::set<int> seen;
    for (uint64_t step = 0; step < 40; ++step) {
      Rng rng(step);
      const std::vector<Architecture> archs = train::step_architectures(elastic, elastic.all(), sampler, 2, rng);
      const int size = elastic.input_size(archs.front());
      for (const Architecture& arch : archs) CHECK(elastic.input_size(arch) == size);
      seen.insert(size);
    }
    CHECK(seen == std::set<int>{32, 40});
  }
}

TEST_CASE("elastic resolution on Fashion-MNIST: every step's batch is resized to its sub-networks' size") {
  std::map<std::string, ConfigValue> keys = kGreyKeys;
  keys["resolutions"] = std::vector<int64_t>{20, 28};
  const auto space = test::make_plugin<OfaMobileNetV3>(keys);
  const train::ElasticSpace elastic(*space);
  const train::TrainData data = small_fashion_data(48);
  train::TrainOptions options = quick_options();
  options.sampler = train::Sampler::Sandwich;
  options.random_per_step = 1;
  options.phases = {train::Phase{{"ks", "r"}, 2, 0.05, 0.0}};
  std::map<int64_t, int> steps_at;
  train::TrainCallbacks callbacks;
  callbacks.on_step = [&](const train::StepReport& r) {
    ++steps_at[r.resolution];
    for (const Architecture& arch : r.architectures) CHECK(elastic.input_size(arch) == r.resolution);
  };
  test::TempDir dir("train-fashion-elastic-engine");
  const train::TrainSummary summary = train::train_supernet(*space, data, options, dir.path().string(), false, callbacks);
  CHECK(summary.finished);
  // Both sizes drawn (for this seed; any fixed seed is a fixed draw), and
  // each epoch validated the largest at 28 and the smallest at 20.
  CHECK(steps_at.count(20) == 1);
  CHECK(steps_at.count(28) == 1);
  for (const train::EpochReport& e : summary.history) {
    CHECK(std::isfinite(e.loss));
    CHECK(e.top1_smallest >= 0.0);
    CHECK(e.top1_largest <= 100.0);
  }
  // A size the data cannot be resized to is refused before the first step.
  keys["stem"] = std::string("imagenet");
  keys["resolutions"] = std::vector<int64_t>{128};
  const auto too_big = test::make_plugin<OfaMobileNetV3>(keys);
  test::TempDir other("train-fashion-elastic-refused");
  CHECK_THROWS_WITH_AS(train::train_supernet(*too_big, data, options, other.path().string(), false),
                       doctest::Contains("128 x 128 images"), Error);
}

TEST_CASE("elastic resolution on an image folder: every step's batch comes at its sub-networks' size") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kElasticKeys);
  const train::ElasticSpace elastic(*space);
  test::TempDir dir("train-elastic");
  const train::TrainData data = small_folder_data(dir.path() / "images");
  train::TrainOptions options = quick_options();
  options.sampler = train::Sampler::Sandwich;
  options.random_per_step = 1;
  options.batch_size = 3;  // 12 training images: 4 steps an epoch
  options.calibration_images = 6;
  options.calibration_batch = 6;
  options.phases = {train::Phase{{"ks", "r"}, 2, 0.05, 0.0}};
  std::map<int64_t, int> steps_at;
  int checked = 0;
  train::TrainCallbacks callbacks;
  callbacks.on_step = [&](const train::StepReport& r) {
    ++steps_at[r.resolution];
    for (const Architecture& arch : r.architectures) {
      CHECK(elastic.input_size(arch) == r.resolution);
      ++checked;
    }
  };
  std::filesystem::create_directories(dir / "run");
  const train::TrainSummary summary =
      train::train_supernet(*space, data, options, dir / "run", false, callbacks);
  CHECK(summary.finished);
  CHECK(checked >= 8 * 2);
  // 8 steps over two sizes: both were drawn (for this seed; any fixed seed is a fixed draw).
  CHECK(steps_at.size() == 2);
  CHECK(steps_at.count(32) == 1);
  CHECK(steps_at.count(40) == 1);
  // Validated at their own sizes: both scores are percentages of the 6 images.
  for (const train::EpochReport& e : summary.history) {
    CHECK(e.top1_largest >= 0.0);
    CHECK(e.top1_smallest <= 100.0);
  }
}

namespace {

// Every expand ratio at choice `e` (0: 3, 1: 4, 2: 6), the rest largest.
Architecture every_expand(int e) {
  Architecture arch(OfaMobileNetV3::kVariables, 2);
  for (int i = 0; i < OfaMobileNetV3::kSlots; ++i) arch[OfaMobileNetV3::kEBase + i] = e;
  arch[OfaMobileNetV3::kRIndex] = 0;
  return arch;
}

// One optimiser step on the largest sub-network, then a sort: the first
// group's first tensor and each of its optimiser buffers (SGD: momentum;
// AdamW: both moments) are what they were, moved by the group's order.
void check_buffers_follow(const OfaMobileNetV3& space, const std::vector<ChannelGroup>& groups,
                          supernet::SuperNetwork& net, const train::TrainOptions& options, const at::Tensor& images) {
  train::Optimiser optimiser(net, space, options);
  supernet::SubNetwork largest = net.activate(every_expand(2));
  largest.train();
  largest.forward(images).pow(2).mean().backward();
  optimiser.step(0.1);
  const supernet::StateDict before = optimiser.state();  // copies, on the CPU
  const ChannelAxis& axis = groups.front().axes.front();  // blocks.1's expanding convolution, outputs
  const at::Tensor weight_before = net.state_dict().at(axis.tensor).detach().cpu().clone();

  const auto orders = train::sort_channels(net, optimiser, groups, std::vector<std::vector<int64_t>>(groups.size()));
  REQUIRE(orders.front().moved() > 0);
  const at::Tensor index = at::tensor(orders.front().order, at::kLong);
  const supernet::StateDict after = optimiser.state();
  int buffers = 0;
  for (const char* buffer : {".first", ".second"}) {
    const std::string key = "optimiser." + axis.tensor + buffer;
    if (!before.contains(key)) continue;
    ++buffers;
    CHECK(at::equal(after.at(key), before.at(key).index_select(axis.dim, index)));
  }
  CHECK(buffers == (options.optimiser == train::OptimiserKind::AdamW ? 2 : 1));
  CHECK(at::equal(net.state_dict().at(axis.tensor).detach().cpu(), weight_before.index_select(axis.dim, index)));
}

}  // namespace

TEST_CASE("channel sorting keeps the widths earlier phases trained: none, then expand 6, then 6 and 4") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const auto& sharing = dynamic_cast<const WeightSharing&>(*space);
  const std::vector<ChannelGroup> groups = sharing.channel_groups();
  const train::ElasticSpace elastic(*space);
  // Once-for-All's schedule: largest, kernel, depth, width {6, 4}, width {6, 4, 3}.
  const std::vector<train::PhaseChoices> phases{elastic.phase({}), elastic.phase({"ks"}), elastic.phase({"ks", "d"}),
                                                elastic.phase({"ks", "d", "e:2"}), elastic.phase({"ks", "d", "e"})};
  auto widths = [&](int e) {
    const Architecture arch = every_expand(e);
    return supernet::group_widths(sharing, groups, arch, space->lower(arch));
  };
  const std::vector<int64_t> six = widths(2), four = widths(1);
  auto sorted = [](std::vector<int64_t> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  const auto before_any = train::trained_widths(elastic, sharing, groups, phases, 0);
  const auto before_width = train::trained_widths(elastic, sharing, groups, phases, 3);
  const auto before_last = train::trained_widths(elastic, sharing, groups, phases, 4);
  REQUIRE(before_last.size() == groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    CAPTURE(groups[g].name);
    CHECK(before_any[g].empty());
    CHECK(before_width[g] == std::vector<int64_t>{six[g]});
    CHECK(sorted(before_last[g]) == sorted({four[g], six[g]}));
  }
}

TEST_CASE("sorting moves the optimiser's buffers with the weights, and a phase sorts once at its start") {
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const std::vector<ChannelGroup> groups = dynamic_cast<const WeightSharing&>(*space).channel_groups();
  REQUIRE(groups.size() == 32);

  SUBCASE("SGD's momentum and AdamW's moments follow their channels") {
    for (const auto kind : {train::OptimiserKind::Sgd, train::OptimiserKind::AdamW}) {
      CAPTURE(static_cast<int>(kind));
      supernet::SuperNetwork net(*space, 5);
      train::TrainOptions options;
      options.optimiser = kind;
      options.momentum = 0.9;
      at::manual_seed(1);
      check_buffers_follow(*space, groups, net, options, at::randn({4, 1, 28, 28}));
    }
  }
  SUBCASE("one report, at the sorting phase's start") {
    train::TrainOptions options = quick_options();
    options.sampler = train::Sampler::Sandwich;
    options.random_per_step = 0;
    train::Phase width{{"e"}, 2, 0.05, 0.0};
    width.sort_channels = true;
    options.phases = {train::Phase{{}, 1, 0.05, 0.0}, width};
    std::vector<train::SortReport> reports;
    train::TrainCallbacks callbacks;
    callbacks.on_channels_sorted = [&](const train::SortReport& r) { reports.push_back(r); };
    test::TempDir dir("train-sort");
    train::train_supernet(*space, small_fashion_data(32), options, dir.path().string(), false, callbacks);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].phase == 2);
    CHECK(reports[0].groups == 32);
    CHECK(reports[0].channels_moved > 0);
  }
  SUBCASE("refused for a super-network started from a checkpoint, whose trained widths are not known") {
    train::TrainOptions options = quick_options();
    train::Phase width{{"e"}, 1, 0.05, 0.0};
    width.sort_channels = true;
    options.phases = {width};
    options.initial_checkpoint = "trained-elsewhere.pt";
    test::TempDir dir("train-sort-refused");
    CHECK_THROWS_WITH_AS(train::train_supernet(*space, small_fashion_data(32), options, dir.path().string(), false),
                         doctest::Contains("phase 1 sorts channels (sort_channels) of a super-network started from "
                                           "trained-elsewhere.pt"),
                         Error);
  }
}

TEST_CASE("on CUDA channel sorting gives the CPU's orders, keeps NHWC strides, moves buffers (skipped without a GPU)") {
  if (libtorch::cuda_device_count() == 0) {
    MESSAGE("skipped: no CUDA device (" << libtorch::cuda_unavailable_reason() << ")");
    return;
  }
  const auto space = test::make_plugin<OfaMobileNetV3>(kGreyKeys);
  const std::vector<ChannelGroup> groups = dynamic_cast<const WeightSharing&>(*space).channel_groups();
  const std::vector<std::vector<int64_t>> nothing_kept(groups.size());
  train::TrainOptions options;
  options.momentum = 0.9;
  supernet::SuperNetwork on_cpu(*space, 9), on_cuda(*space, 9);
  on_cuda.to("cuda", true);
  train::Optimiser cpu_optimiser(on_cpu, *space, options), cuda_optimiser(on_cuda, *space, options);
  const auto cpu_orders = train::sort_channels(on_cpu, cpu_optimiser, groups, nothing_kept);
  const auto cuda_orders = train::sort_channels(on_cuda, cuda_optimiser, groups, nothing_kept);
  REQUIRE(cpu_orders.size() == cuda_orders.size());
  for (std::size_t g = 0; g < cpu_orders.size(); ++g) CHECK(cpu_orders[g].order == cuda_orders[g].order);
  const supernet::StateDict cpu = on_cpu.state_dict(), cuda = on_cuda.state_dict();
  int nhwc = 0;
  for (const std::string& name : cpu.names()) {
    INFO(name);
    const at::Tensor t = cuda.at(name);
    CHECK(at::equal(t.detach().cpu(), cpu.at(name).detach()));
    if (t.dim() == 4) {  // NHWC strides, as SuperNetwork::to gave them (copy_ keeps the destination's)
      const int64_t c = t.size(1), h = t.size(2), w = t.size(3);
      nhwc += t.stride(1) == 1 && t.stride(3) == c && t.stride(2) == c * w && t.stride(0) == c * w * h;
    }
  }
  CHECK(nhwc == std::count_if(cpu.names().begin(), cpu.names().end(),
                              [&](const std::string& n) { return cpu.at(n).dim() == 4; }));

  // A step's buffers on CUDA move with their channels too.
  check_buffers_follow(*space, groups, on_cuda, options,
                       libtorch::channels_last(at::randn({4, 1, 28, 28}, at::TensorOptions().device(at::kCUDA))));
}
