// Once-for-All's training transform on image folders: the random resized
// crop's boxes follow torchvision's get_params (inside the image, area and
// aspect ratio within their ranges, the centre fallback exact), and a
// training read is fixed by its seed: the same batches with 1 and 3 loader
// threads and through a view, other batches with another seed, and other
// than the evaluation transform's.
#include "datasets_doctest.hpp"

#include <cmath>
#include <vector>

#include "dataset_files.hpp"
#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/datasets/evaluation_transform.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/datasets/training_transform.hpp"

using namespace nasctl::datasets;
using namespace nasctl::datasets::test;
namespace fs = std::filesystem;

TEST_CASE("random resized crop boxes lie inside the image with area and aspect ratio in their ranges") {
  nasctl::Rng rng(7);
  int full_width = 0;
  for (int i = 0; i < 2000; ++i) {
    const CropBox box = random_resized_crop_box(320, 240, rng);
    REQUIRE(box.width >= 1);
    REQUIRE(box.height >= 1);
    CHECK(box.left >= 0);
    CHECK(box.top >= 0);
    CHECK(box.left + box.width <= 320);
    CHECK(box.top + box.height <= 240);
    // Rounding the sides moves area and ratio by at most half a pixel a side.
    const double area = static_cast<double>(box.width) * box.height / (320.0 * 240.0);
    CHECK(area >= 0.08 - 0.01);
    const double ratio = static_cast<double>(box.width) / box.height;
    CHECK(ratio >= 0.75 * (1 - 2.0 / box.height) - 1e-9);
    CHECK(ratio <= 4.0 / 3.0 * (1 + 2.0 / box.height) + 1e-9);
    full_width += box.width == 320;
  }
  // Boxes vary: not all the whole image, not all one size.
  CHECK(full_width < 2000);
}

TEST_CASE("an image no box of the ranges fits gets torchvision's centre crop with the ratio clamped") {
  nasctl::Rng rng(1);
  // 1000 x 10: a box of at least 8% of the area is at least 28 rows high
  // at ratio 4/3, so all 10 tries fail: height 10, width round(10 * 4/3) = 13,
  // centred.
  const CropBox wide = random_resized_crop_box(1000, 10, rng);
  CHECK(wide.width == 13);
  CHECK(wide.height == 10);
  CHECK(wide.left == (1000 - 13) / 2);
  CHECK(wide.top == 0);
  const CropBox tall = random_resized_crop_box(10, 1000, rng);
  CHECK(tall.width == 10);
  CHECK(tall.height == 13);  // round(10 / (3/4)) = 13
  CHECK(tall.top == (1000 - 13) / 2);
}

TEST_CASE("a training read is fixed by its seed, whatever the loader threads, and differs from evaluation") {
  ScratchFolder folder("datasets-training");
  for (int c = 0; c < 3; ++c) {
    fs::create_directories(folder / ("c" + std::to_string(c)));
    for (int i = 0; i < 4; ++i)
      write_png(folder / ("c" + std::to_string(c)) / ("i" + std::to_string(i) + ".png"),
                patterned_image(40 + 3 * i, 30 + 2 * c, c * 10 + i));
  }
  auto open = [&](int threads) {
    ImageFolderOptions options;
    options.root = folder.path();
    options.threads = threads;
    return open_image_folder(options);
  };
  const auto serial = open(1), parallel = open(3);
  REQUIRE(serial->augments_when_read());
  const std::vector<std::size_t> order = seeded_draw(12, 12, 5);
  auto read = [&](const Dataset& dataset, std::uint64_t seed) {
    std::vector<at::Tensor> images;
    auto stream = dataset.read_augmented(order, 5, 16, seed);
    while (auto batch = stream.next()) images.push_back(batch->images);
    return at::cat(images);
  };
  const at::Tensor a = read(*serial, 11);
  CHECK(a.sizes() == at::IntArrayRef({12, 3, 16, 16}));
  CHECK(at::equal(a, read(*parallel, 11)));
  CHECK_FALSE(at::equal(a, read(*serial, 12)));

  std::vector<at::Tensor> evaluated;
  auto stream = serial->read(order, 5, 16);
  while (auto batch = stream.next()) evaluated.push_back(batch->images);
  CHECK_FALSE(at::equal(a, at::cat(evaluated)));
  // Normalised ImageNet values: each channel of a level v is (v/255 - mean) / std.
  CHECK(a.min().item<float>() >= (0.0f - kImageNetMean[0]) / kImageNetStd[0] - 1e-5f);

  // A view (a training part) reads its base's items with the same draws.
  const std::vector<std::size_t> all = all_indices(*serial);
  const DatasetView view(serial, all, "all of it");
  CHECK(view.augments_when_read());
  std::vector<at::Tensor> through_view;
  auto view_stream = view.read_augmented(order, 5, 16, 11);
  while (auto batch = view_stream.next()) through_view.push_back(batch->images);
  CHECK(at::equal(a, at::cat(through_view)));
}
