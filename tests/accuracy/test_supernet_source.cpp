// The "supernet" accuracy source on the OFA fixture checkpoint and image
// folders the suite writes: its numbers are those of the engine itself
// (re-calibration, forward, argmax), repeated architectures come from the
// cache, the calibration subset is seeded, evaluation threads do not disturb
// each other, and run.json's conditions say what was measured and how.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <cmath>
#include <thread>

#include "accuracy_support.hpp"
#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/latency.hpp"
#include "tiny_rgb_space.hpp"

using namespace nasctl;
using test::CandidateHolder;

namespace {

Architecture smallest(const spaces::ofa_mobilenetv3::OfaMobileNetV3& space) {
  return Architecture(space.variables().size(), 0);
}

Architecture largest(const spaces::ofa_mobilenetv3::OfaMobileNetV3& space) {
  Architecture arch(space.variables().size(), 2);
  arch[spaces::ofa_mobilenetv3::OfaMobileNetV3::kRIndex] = 0;
  return arch;
}

struct Counts {
  int64_t images = 0;
  int64_t top1 = 0;
};

// What the source must compute, written with the engine and the datasets
// directly: the folder split with carve(split, seed 0), calibration images
// drawn from the rest with seeded_subset, re-calibration in batches, then
// argmax over the validation images.
Counts direct_top1(const SearchSpace& space, const Architecture& arch, const std::string& folder,
                   std::size_t split, std::size_t calibration, std::size_t calibration_batch, std::uint64_t seed) {
  const supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(space, test::ofa_checkpoint());
  supernet::SubNetwork sub = net.activate(arch);
  datasets::ImageFolderOptions options;
  options.root = folder;
  options.threads = 1;
  std::shared_ptr<const datasets::Dataset> images = datasets::open_image_folder(options);
  datasets::Split parts = datasets::carve(images->size(), split, 0);
  auto train = std::make_shared<datasets::DatasetView>(images, parts.kept, "train");
  const datasets::DatasetView validation(images, parts.carved, "validation");
  const auto subset = datasets::seeded_subset(train, calibration, seed);
  const int r = static_cast<int>(sub.spec().input.height);
  datasets::BatchStream stream = subset->read(datasets::all_indices(*subset), calibration_batch, r);
  sub.recalibrate_batch_norm([&]() -> at::Tensor {
    auto batch = stream.next();
    return batch ? batch->images : at::Tensor();
  });
  Counts counts;
  datasets::BatchStream read = validation.read(datasets::all_indices(validation), 1000, r);
  while (auto batch = read.next()) {
    const at::Tensor logits = sub.forward(batch->images);
    counts.top1 += logits.argmax(1).eq(batch->labels).sum().item<int64_t>();
    counts.images += logits.size(0);
  }
  return counts;
}

struct FixtureFolder {
  test::ScratchFolder scratch{"supernet-source"};
  std::string folder = (scratch / "images").string();
  FixtureFolder() { test::write_image_folder(folder, 10, 4); }
};

}  // namespace

TEST_CASE("supernet source: top-1 of two OFA sub-networks counts what the engine's re-calibration, forward and argmax count") {
  FixtureFolder f;
  const auto space = test::ofa_space();
  auto source = test::make_source(test::small_keys(f.folder));
  source->prepare(*space);
  for (const Architecture& arch : {smallest(*space), largest(*space)}) {
    const CandidateHolder c(*space, arch);
    CAPTURE(c.canonical);
    const Metrics m = source->evaluate(c.candidate);
    REQUIRE(m.size() == 3);
    CHECK(m.at("top1") >= 0.0);
    CHECK(m.at("top1") <= 100.0);
    CHECK(m.at("top5") >= m.at("top1"));
    CHECK(m.at("top5") <= 100.0);
    CHECK(m.at("loss") > 0.0);
    CHECK(std::isfinite(m.at("loss")));
    const Counts direct = direct_top1(*space, c.arch, f.folder, 20, 8, 4, 0);
    CHECK(direct.images == 20);
    CHECK(std::llround(m.at("top1") * 20 / 100.0) == direct.top1);
  }
  CHECK(source->measured() == 2);
}

TEST_CASE("supernet source: a repeated architecture returns the first numbers without measuring again") {
  FixtureFolder f;
  const auto space = test::ofa_space();
  auto source = test::make_source(test::small_keys(f.folder));
  source->prepare(*space);
  const CandidateHolder c(*space, smallest(*space));
  const Metrics first = source->evaluate(c.candidate);
  CHECK(source->measured() == 1);
  const Metrics again = source->evaluate(c.candidate);
  CHECK(source->measured() == 1);
  CHECK(again == first);
  CHECK(source->conditions().at("sub_networks_measured") == "1");
}

TEST_CASE("supernet source: the calibration subset is seeded (same seed, same numbers, another seed, other statistics)") {
  FixtureFolder f;
  const auto space = test::ofa_space();
  auto keys = test::small_keys(f.folder);
  const CandidateHolder c(*space, largest(*space));
  auto measure = [&](int64_t seed) {
    keys["seed"] = seed;
    auto source = test::make_source(keys);
    source->prepare(*space);
    return source->evaluate(c.candidate);
  };
  const Metrics seed3 = measure(3);
  CHECK(measure(3) == seed3);
  // Other images re-calibrate the batch norms to other statistics: the loss
  // (a continuous function of them) moves.
  CHECK(measure(4).at("loss") != seed3.at("loss"));
  // And the images themselves: the draws differ.
  CHECK(datasets::seeded_draw(20, 8, 3) != datasets::seeded_draw(20, 8, 4));
}

TEST_CASE("supernet source: run.json conditions hold the checkpoint's SHA-256, dataset, subset sizes and device") {
  FixtureFolder f;
  const auto space = test::ofa_space();
  auto source = test::make_source(test::small_keys(f.folder));
  CHECK(source->conditions().count("checkpoint_sha256") == 0);  // not hashed before prepare()
  source->prepare(*space);
  const Conditions c = source->conditions();
  CHECK(c.at("checkpoint_sha256") == test::kOfaCheckpointSha256);
  CHECK(c.at("checkpoint") == test::ofa_checkpoint());
  CHECK(c.at("dataset") == f.folder);
  CHECK(c.at("validation_images") == "20");
  CHECK(c.at("calibration_images") == "8");
  CHECK(c.at("calibration_batch") == "4");
  CHECK(c.at("device") == "cpu");
  CHECK(c.at("dtype") == "float32");
  CHECK(c.at("channels_last") == "false");
  CHECK(c.at("classes") == "10");
  CHECK(c.at("calibration").find("seed 0") != std::string::npos);
  CHECK(c.at("validation").find("validation split (20 images") != std::string::npos);
}

TEST_CASE("supernet source: a validation subset scores that many images, channels_last inputs run too") {
  FixtureFolder f;
  const auto space = test::ofa_space();
  auto keys = test::small_keys(f.folder);
  keys["validation_images"] = int64_t{5};
  keys["channels_last"] = true;
  auto source = test::make_source(keys);
  source->prepare(*space);
  const Metrics m = source->evaluate(CandidateHolder(*space, smallest(*space)).candidate);
  // 5 images: every percentage is a multiple of 20.
  CHECK(std::fmod(m.at("top1"), 20.0) == 0.0);
  CHECK(m.at("top5") <= 100.0);
  CHECK(source->conditions().at("validation_images") == "5");
  CHECK(source->conditions().at("channels_last") == "true");
}

TEST_CASE("supernet source: evaluations on several threads at once give the numbers of one thread") {
  FixtureFolder f;
  const auto space = test::ofa_space();
  const CandidateHolder a(*space, smallest(*space));
  const CandidateHolder b(*space, largest(*space));
  auto alone = test::make_source(test::small_keys(f.folder));
  alone->prepare(*space);
  const Metrics expect_a = alone->evaluate(a.candidate);
  const Metrics expect_b = alone->evaluate(b.candidate);

  auto shared = test::make_source(test::small_keys(f.folder));
  shared->prepare(*space);
  Metrics got[4];
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] { got[t] = shared->evaluate((t % 2 ? b : a).candidate); });
  for (auto& t : threads) t.join();
  CHECK(got[0] == expect_a);
  CHECK(got[2] == expect_a);
  CHECK(got[1] == expect_b);
  CHECK(got[3] == expect_b);
  CHECK(shared->measured() == 2);  // the same architecture asked twice at once is measured once
}

TEST_CASE("supernet source: each architecture is read at its own resolution") {
  test::ScratchFolder scratch("supernet-resolution");
  test::write_image_folder(scratch / "images", 3, 4);
  const test::TinyRgbSpace space(3);
  const std::string checkpoint = (scratch / "tiny.pth").string();
  supernet::SuperNetwork(space, 5).save(checkpoint);
  auto source = test::make_source({{"checkpoint", checkpoint},
                                   {"dataset", (scratch / "images").string()},
                                   {"validation_split", int64_t{6}},
                                   {"calibration_images", int64_t{6}}});
  source->prepare(space);
  for (int r = 0; r < 2; ++r) {
    const Metrics m = source->evaluate(CandidateHolder(space, {1, r}).candidate);
    CHECK(m.at("top1") <= 100.0);
    CHECK(m.at("top5") == 100.0);  // 3 classes: every label is among the top 5
  }
  CHECK(source->measured() == 2);
}

TEST_CASE("supernet source: on CUDA float32 agrees with the CPU, bf16 autocast and channels_last run (skipped without a GPU)") {
  if (libtorch::cuda_device_count() == 0) {
    MESSAGE("skipped: no CUDA device (" << libtorch::cuda_unavailable_reason() << ")");
    return;
  }
  FixtureFolder f;
  const auto space = test::ofa_space();
  const CandidateHolder c(*space, largest(*space));
  auto measure = [&](std::map<std::string, ConfigValue> extra) {
    auto keys = test::small_keys(f.folder);
    for (auto& [k, v] : extra) keys[k] = v;
    auto source = test::make_source(keys);
    source->prepare(*space);
    return std::make_pair(source->evaluate(c.candidate), source->conditions());
  };
  const auto [cpu, cpu_conditions] = measure({});
  const auto [cuda, cuda_conditions] = measure({{"device", std::string("cuda")}});
  CHECK(cuda_conditions.at("device") == "cuda");
  // Different kernels, the same network: the mean loss agrees closely.
  CHECK(std::abs(cuda.at("loss") - cpu.at("loss")) < 1e-3 * cpu.at("loss"));
  const auto [bf16, bf16_conditions] =
      measure({{"device", std::string("cuda")}, {"bf16", true}, {"channels_last", true}});
  CHECK(bf16_conditions.at("dtype").find("bfloat16") != std::string::npos);
  CHECK(bf16_conditions.at("channels_last") == "true");
  CHECK(bf16.at("top1") >= 0.0);
  CHECK(bf16.at("top1") <= 100.0);
  CHECK(std::abs(bf16.at("loss") - cpu.at("loss")) < 0.1 * cpu.at("loss"));
}
