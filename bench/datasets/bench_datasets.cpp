// bench_datasets: how fast nasctl::datasets feeds a network.
//   ImageFolderAt224/threads:N  images/s of a whole read of an image folder
//                               (JPEG decoding + OFA's evaluation transform at
//                               224, batches of 50) with N loader threads, and
//                               the CPU time all threads spend per image
//   DecodeJpeg, EvaluationTransform224
//                               the two halves of that work for one image
//   FashionMnistOpen            reading and checking the four gzip idx files
//                               of Debian's dataset-fashion-mnist + the split
//   FashionMnistTrainEpoch      one pass over the 50,000 training images in
//                               batches of 256
// The image folder is NASCTL_BENCH_IMAGE_FOLDER, or /tmp/nasctl-bench-jpegs,
// written on first use: 400 synthetic JPEGs of ImageNet's typical 500 x 375
// at quality 90, in 4 classes. Their content (smooth colour fields, texture
// and noise) makes files of ImageNet's typical size (~110 KB), since JPEG
// decoding time follows the amount of coded detail.
#include <benchmark/benchmark.h>

#include <time.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "dataset_files.hpp"
#include "nasctl/datasets/evaluation_transform.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/image_decoder.hpp"
#include "nasctl/datasets/image_folder.hpp"

using namespace nasctl::datasets;
namespace fs = std::filesystem;

namespace {

constexpr int kClasses = 4;
constexpr int kImagesPerClass = 100;
constexpr int kWidth = 500;
constexpr int kHeight = 375;

RgbImage photo_like(int seed) {
  std::uint32_t noise_state = 2654435761u * static_cast<std::uint32_t>(seed + 1);
  return test::make_image(kWidth, kHeight, [&](int x, int y) {
    std::array<std::uint8_t, 3> rgb{};
    for (int c = 0; c < 3; ++c) {
      noise_state = noise_state * 1664525u + 1013904223u;
      const double field = 128 + 70 * std::sin((x + 13 * seed) / (31.0 + 7 * c)) * std::cos((y - 5 * seed) / (23.0 + 5 * c));
      const double texture = 25 * std::sin(x * 0.9 + y * 0.45 + c + seed) * std::sin(y * 0.7 - x * 0.3);
      const double noise = static_cast<double>(noise_state >> 24) / 255.0 * 36 - 18;
      rgb[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(std::clamp(field + texture + noise, 0.0, 255.0));
    }
    return rgb;
  });
}

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

fs::path image_folder() {
  const char* chosen = std::getenv("NASCTL_BENCH_IMAGE_FOLDER");
  const fs::path root = chosen != nullptr ? chosen : "/tmp/nasctl-bench-jpegs";
  const fs::path last = root / ("class" + std::to_string(kClasses - 1)) / (std::to_string(kImagesPerClass - 1) + ".jpg");
  if (fs::exists(last)) return root;
  for (int c = 0; c < kClasses; ++c) {
    const fs::path folder = root / ("class" + std::to_string(c));
    fs::create_directories(folder);
    for (int i = 0; i < kImagesPerClass; ++i) {
      test::write_jpeg(folder / (std::to_string(i) + ".jpg"), photo_like(c * kImagesPerClass + i), 90);
    }
  }
  return root;
}

void ImageFolderAt224(benchmark::State& state) {
  ImageFolderOptions options;
  options.root = image_folder();
  options.threads = static_cast<int>(state.range(0));
  const auto dataset = open_image_folder(options);
  const double cpu_before = process_cpu_seconds();
  for (auto _ : state) {
    auto stream = dataset->read_all(50);
    while (auto batch = stream.next()) benchmark::DoNotOptimize(batch->images.data_ptr());
  }
  const double images = static_cast<double>(state.iterations()) * static_cast<double>(dataset->size());
  state.SetItemsProcessed(static_cast<std::int64_t>(images));
  // CPU time of every thread of the process per image: the work an image
  // costs, which other programs' load on a shared machine does not inflate
  // the way it inflates wall-clock images/s.
  state.counters["cpu_ms_per_image"] = (process_cpu_seconds() - cpu_before) * 1e3 / images;
}
BENCHMARK(ImageFolderAt224)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void DecodeJpeg(benchmark::State& state) {
  const fs::path file = image_folder() / "class0" / "0.jpg";
  for (auto _ : state) benchmark::DoNotOptimize(decode_image_file(file).pixels.data());
  state.SetItemsProcessed(state.iterations());
  state.counters["jpeg_bytes"] = static_cast<double>(fs::file_size(file));
}
BENCHMARK(DecodeJpeg)->Unit(benchmark::kMillisecond);

void EvaluationTransform224(benchmark::State& state) {
  const RgbImage image = decode_image_file(image_folder() / "class0" / "0.jpg");
  std::vector<float> out(3 * 224 * 224);
  for (auto _ : state) {
    apply_evaluation_transform(image, 224, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(EvaluationTransform224)->Unit(benchmark::kMillisecond);

bool fashion_mnist_installed(benchmark::State& state) {
  if (fs::exists(fs::path(kFashionMnistDebianFolder) / "train-images-idx3-ubyte.gz")) return true;
  state.SkipWithError("Debian's dataset-fashion-mnist is not installed");
  return false;
}

void FashionMnistOpen(benchmark::State& state) {
  if (!fashion_mnist_installed(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(open_fashion_mnist().train->size());
}
BENCHMARK(FashionMnistOpen)->Unit(benchmark::kMillisecond);

void FashionMnistTrainEpoch(benchmark::State& state) {
  if (!fashion_mnist_installed(state)) return;
  const FashionMnist sets = open_fashion_mnist();
  for (auto _ : state) {
    auto stream = sets.train->read_all(256);
    while (auto batch = stream.next()) benchmark::DoNotOptimize(batch->images.data_ptr());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sets.train->size()));
}
BENCHMARK(FashionMnistTrainEpoch)->Unit(benchmark::kMillisecond);

}  // namespace
