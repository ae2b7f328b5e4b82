// Fashion-MNIST: the idx reader on files this test writes (so it is always
// tested), the split and the normalisation, and the real files of Debian's
// dataset-fashion-mnist when the package is installed.
#include "datasets_doctest.hpp"

#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>

#include "dataset_files.hpp"
#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/idx_file.hpp"
#include "nasctl/datasets/resize.hpp"

using namespace nasctl::datasets;
using namespace nasctl::datasets::test;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kPixels = 28 * 28;

// Image i is filled with level 10 i + 3 and labelled i % 10.
void write_small_fashion(const fs::path& folder, std::uint32_t train, std::uint32_t test, bool gzip) {
  for (const auto& [prefix, count] : {std::pair<std::string, std::uint32_t>{"train", train}, {"t10k", test}}) {
    std::vector<std::uint8_t> pixels;
    std::vector<std::uint8_t> labels;
    for (std::uint32_t i = 0; i < count; ++i) {
      pixels.insert(pixels.end(), kPixels, static_cast<std::uint8_t>(10 * i + 3));
      labels.push_back(static_cast<std::uint8_t>(i % 10));
    }
    const auto images_file = idx_bytes({count, 28, 28}, pixels);
    const auto labels_file = idx_bytes({count}, labels);
    if (gzip) {
      write_gzip(folder / (prefix + "-images-idx3-ubyte.gz"), images_file);
      write_gzip(folder / (prefix + "-labels-idx1-ubyte.gz"), labels_file);
    } else {
      write_bytes(folder / (prefix + "-images-idx3-ubyte"), images_file);
      write_bytes(folder / (prefix + "-labels-idx1-ubyte"), labels_file);
    }
  }
}

float normalised(int level) { return (static_cast<float>(level) / 255.0f - kFashionMnistMean) / kFashionMnistStd; }

// The level image i was written with, read back from a batch.
// write_small_fashion's files opened with `validation` images carved out.
FashionMnist open_small_fashion(const fs::path& folder, std::uint32_t train, std::uint32_t test, bool gzip,
                                std::size_t validation) {
  write_small_fashion(folder, train, test, gzip);
  FashionMnistOptions options;
  options.folder = folder;
  options.validation_size = validation;
  return open_fashion_mnist(options);
}

int level_of(const at::Tensor& image) {
  return static_cast<int>(std::lround((image[0][0][0].item<float>() * kFashionMnistStd + kFashionMnistMean) * 255.0f));
}

}  // namespace

TEST_CASE("the idx reader reads gzip-compressed and plain idx files it did not write") {
  ScratchFolder folder("datasets-idx");
  std::vector<std::uint8_t> data(2 * 3 * 4);
  std::iota(data.begin(), data.end(), std::uint8_t{200});
  write_gzip(folder / "a.gz", idx_bytes({2, 3, 4}, data));
  write_bytes(folder / "a", idx_bytes({2, 3, 4}, data));
  for (const char* name : {"a.gz", "a"}) {
    const IdxBytes read = read_idx_file(folder / name, 3);
    CHECK(read.dims == std::vector<std::int64_t>{2, 3, 4});
    CHECK(read.data == data);
  }
  write_gzip(folder / "empty.gz", idx_bytes({0}, {}));
  CHECK(read_idx_file(folder / "empty.gz", 1).data.empty());
}

TEST_CASE("Fashion-MNIST files are split into train, validation and test, the split fixed by its seed") {
  ScratchFolder folder("datasets-fashion-small");
  write_small_fashion(folder.path(), 12, 5, true);
  FashionMnistOptions options;
  options.folder = folder.path();
  options.validation_size = 4;
  options.split_seed = 3;
  const FashionMnist sets = open_fashion_mnist(options);
  CHECK(sets.train->size() == 8);
  CHECK(sets.validation->size() == 4);
  CHECK(sets.test->size() == 5);
  CHECK(sets.test->classes().size() == 10);
  CHECK(sets.test->classes()[9] == "Ankle boot");
  CHECK(sets.validation->description().find("seed 3") != std::string::npos);

  const auto items = [](const Dataset& split) {
    std::vector<std::size_t> base;
    for (std::size_t i = 0; i < split.size(); ++i) base.push_back(dynamic_cast<const DatasetView&>(split).base_index(i));
    return base;
  };
  const auto train_items = items(*sets.train);
  const auto validation_items = items(*sets.validation);
  std::set<std::size_t> all(train_items.begin(), train_items.end());
  all.insert(validation_items.begin(), validation_items.end());
  CHECK(all.size() == 12);  // disjoint and complete
  CHECK(validation_items == items(*open_fashion_mnist(options).validation));
  options.split_seed = 4;
  CHECK(validation_items != items(*open_fashion_mnist(options).validation));

  // Batches: 1 x 28 x 28 floats normalised with Fashion-MNIST's mean and std,
  // labels as written; the validation split reads the training file's images.
  auto stream = sets.validation->read_all(3);
  auto first = stream.next();
  REQUIRE(first);
  CHECK((first->images.sizes() == at::IntArrayRef{3, 1, 28, 28}));
  CHECK((first->labels.scalar_type() == at::kLong));
  for (std::int64_t i = 0; i < 3; ++i) {
    const auto item = static_cast<int>(validation_items[static_cast<std::size_t>(i)]);
    CHECK(level_of(first->images[i]) == 10 * item + 3);
    CHECK(first->images[i].max().item<float>() == normalised(10 * item + 3));
    CHECK(first->images[i].min().item<float>() == normalised(10 * item + 3));
    CHECK(first->labels[i].item<std::int64_t>() == item % 10);
  }
  CHECK(stream.next()->images.size(0) == 1);
}

TEST_CASE("Fashion-MNIST is served at its own 28 x 28, and unpacked files are read as well") {
  ScratchFolder folder("datasets-fashion-plain");
  const FashionMnist sets = open_small_fashion(folder.path(), 3, 2, false, 0);
  CHECK(sets.train->size() == 3);
  CHECK(sets.validation->size() == 0);
  CHECK(sets.test->default_resolution() == 28);
  CHECK(sets.test->input_shape(28) == ImageShape{1, 28, 28});
  auto batch = sets.test->read({1, 0}, 2, 28).next();
  REQUIRE(batch);
  CHECK(level_of(batch->images[0]) == 13);
  CHECK(level_of(batch->images[1]) == 3);
}

TEST_CASE("Fashion-MNIST at another resolution is its 28 x 28 batch resized, shrinking and enlarging") {
  // Elastic resolution: the same images, resized by resize_images (which the
  // trainer also uses on its augmented batches), so a uniform image stays
  // uniform at every size.
  ScratchFolder folder("datasets-fashion-resized");
  const FashionMnist sets = open_small_fashion(folder.path(), 4, 3, true, 1);
  for (const int side : {16, 20, 36}) {
    INFO("side " << side);
    CHECK(sets.test->input_shape(side) == ImageShape{1, side, side});
    auto resized = sets.test->read({2, 0, 1}, 3, side).next();
    auto native = sets.test->read({2, 0, 1}, 3, 28).next();
    REQUIRE(resized);
    REQUIRE(native);
    CHECK(resized->images.sizes() == at::IntArrayRef{3, 1, side, side});
    CHECK(at::equal(resized->labels, native->labels));
    CHECK(at::allclose(resized->images, resize_images(native->images, side)));
    CHECK(level_of(resized->images[0]) == 23);
    CHECK(level_of(resized->images[1]) == 3);
  }
  // The validation split (a view of the training file) too.
  CHECK(sets.validation->input_shape(24) == ImageShape{1, 24, 24});
}

TEST_CASE("resize_images is PyTorch's antialiased bilinear interpolation") {
  // F.interpolate(x, size=(2, 2), mode="bilinear", antialias=True,
  // align_corners=False) on arange(16) as 1 x 1 x 4 x 4 (Debian's PyTorch
  // 1.13); without antialiasing the values would be 2.5, 4.5, 10.5, 12.5.
  const at::Tensor x = at::arange(16, at::kFloat).reshape({1, 1, 4, 4});
  const at::Tensor shrunk = resize_images(x, 2);
  const at::Tensor expected = at::tensor({3.5714288f, 5.1428576f, 9.857143f, 11.428572f}).reshape({1, 1, 2, 2});
  CHECK(at::allclose(shrunk, expected, 1e-5, 1e-5));
  // A checkerboard shrunk to half averages to grey instead of aliasing
  // into one of its colours (what sampling every other pixel would give).
  const at::Tensor board = (at::arange(8).reshape({8, 1}) + at::arange(8).reshape({1, 8})).remainder(2).to(at::kFloat);
  const at::Tensor grey = resize_images(board.reshape({1, 1, 8, 8}), 4);
  CHECK((grey - 0.5).abs().max().item<float>() < 0.02f);
  // Its own size: the tensor itself.
  CHECK(resize_images(x, 4).data_ptr() == x.data_ptr());
  CHECK_THROWS_AS(resize_images(at::zeros({4, 4}), 2), std::invalid_argument);
}

TEST_CASE("the installed Fashion-MNIST has 60,000 training and 10,000 test images with its known statistics") {
  if (!fs::exists(fs::path(kFashionMnistDebianFolder) / "train-images-idx3-ubyte.gz")) {
    MESSAGE("skipped: Debian's dataset-fashion-mnist is not installed (no " << std::string(kFashionMnistDebianFolder)
                                                                           << "/train-images-idx3-ubyte.gz)");
    return;
  }
  const FashionMnist sets = open_fashion_mnist();
  CHECK(sets.train->size() == 50000);
  CHECK(sets.validation->size() == 10000);
  CHECK(sets.test->size() == 10000);

  // Training file: 6,000 images per class; the first is an ankle boot (9)
  // whose pixels sum to 76,247.
  std::vector<int> per_class(10, 0);
  int outside_range = 0;
  for (const auto* split : {sets.train.get(), sets.validation.get()}) {
    for (std::size_t i = 0; i < split->size(); ++i) {
      const std::int64_t label = split->label(i);
      if (label < 0 || label > 9) {
        ++outside_range;
        continue;
      }
      ++per_class[static_cast<std::size_t>(label)];
    }
  }
  CHECK(outside_range == 0);
  CHECK(per_class == std::vector<int>(10, 6000));
  CHECK(sets.test->label(0) == 9);  // the test file starts with an ankle boot too
  const IdxBytes raw = read_idx_file(fs::path(kFashionMnistDebianFolder) / "train-images-idx3-ubyte.gz", 3);
  CHECK(std::accumulate(raw.data.begin(), raw.data.begin() + kPixels, 0) == 76247);
  const IdxBytes labels = read_idx_file(fs::path(kFashionMnistDebianFolder) / "train-labels-idx1-ubyte.gz", 1);
  CHECK(labels.data.front() == 9);

  // The published pixel mean of the training set, 0.2860 (sum of all levels
  // 3,431,114,169 over 47,040,000 pixels x 255 = 0.286041); normalised with
  // it, the 60,000 training images have mean ~0 and standard deviation ~1.
  double sum = 0.0, sum_of_squares = 0.0;
  std::int64_t count = 0;
  for (const auto* split : {sets.train.get(), sets.validation.get()}) {
    auto stream = split->read_all(5000);
    while (auto batch = stream.next()) {
      const at::Tensor images = batch->images.to(at::kDouble);
      sum += images.sum().item<double>();
      sum_of_squares += images.square().sum().item<double>();
      count += images.numel();
    }
  }
  const double mean = sum / static_cast<double>(count);
  const double deviation = std::sqrt(sum_of_squares / static_cast<double>(count) - mean * mean);
  CHECK(mean * kFashionMnistStd + kFashionMnistMean == doctest::Approx(0.286041).epsilon(1e-5));
  CHECK(std::abs(mean) < 1e-3);
  CHECK(deviation == doctest::Approx(1.0).epsilon(1e-3));
}
