// Once-for-All's training transform on image folders: the random resized
// crop's boxes follow torchvision's get_params (inside the image, area and
// aspect ratio within their ranges, the centre fallback exact), and a
// training read is fixed by its seed: the same batches with 1 and 3 loader
// threads and through a view, other batches with another seed, and other
// than the evaluation transform's. OFA's "tf" colour jitter: PIL's blends
// against a computation of the same formula, its draws in torchvision's
// ranges, and a jittered read the plain read with each image's drawn jitter.
#include "datasets_doctest.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataset_files.hpp"
#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/datasets/evaluation_transform.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/datasets/training_transform.hpp"
#include "nasctl/seed_stream.hpp"

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

namespace {

// `classes` class folders c0, c1, ... of `per_class` PNGs each; image i of
// class c is image(c, i).
template <typename MakeImage>
void write_patterned_folder(const ScratchFolder& folder, int classes, int per_class, MakeImage image) {
  for (int c = 0; c < classes; ++c) {
    fs::create_directories(folder / ("c" + std::to_string(c)));
    for (int i = 0; i < per_class; ++i)
      write_png(folder / ("c" + std::to_string(c)) / ("i" + std::to_string(i) + ".png"), image(c, i));
  }
}

// The folder as a dataset decoded on `threads` loader threads.
auto open_folder(const ScratchFolder& folder, int threads) {
  ImageFolderOptions options;
  options.root = folder.path();
  options.threads = threads;
  return open_image_folder(options);
}

}  // namespace

TEST_CASE("a training read is fixed by its seed, whatever the loader threads, and differs from evaluation") {
  ScratchFolder folder("datasets-training");
  write_patterned_folder(folder, 3, 4, [](int c, int i) { return patterned_image(40 + 3 * i, 30 + 2 * c, c * 10 + i); });
  const auto serial = open_folder(folder, 1), parallel = open_folder(folder, 3);
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

namespace {

// PIL's blend of two 8-bit levels written out once more for the tests:
// from + alpha * (to - from) in float, clamped to [0, 255], truncated. The
// product is rounded to float on its own (volatile: no fused multiply-add
// on targets that have one), as PIL and the library (built with
// -ffp-contract=off) round it.
std::uint8_t expected_blend(int from, int to, float alpha) {
  volatile float product = alpha * static_cast<float>(to - from);
  const float value = static_cast<float>(from) + product;
  return static_cast<std::uint8_t>(std::min(255.0f, std::max(0.0f, value)));
}

// PIL's convert("L"): ITU-R 601-2 in 16-bit fixed point, halves up.
int expected_grey(const std::uint8_t* p) { return (19595 * p[0] + 38470 * p[1] + 7471 * p[2] + 32768) / 65536; }

RgbImage expected_jitter(RgbImage image, const ColorJitterDraw& draw) {
  auto brightness = [&] {
    for (std::uint8_t& v : image.pixels) v = expected_blend(0, v, draw.brightness);
  };
  auto saturation = [&] {
    for (std::size_t i = 0; i + 2 < image.pixels.size(); i += 3) {
      const int grey = expected_grey(&image.pixels[i]);
      for (std::size_t c = 0; c < 3; ++c) image.pixels[i + c] = expected_blend(grey, image.pixels[i + c], draw.saturation);
    }
  };
  if (draw.brightness_first) {
    brightness();
    saturation();
  } else {
    saturation();
    brightness();
  }
  return image;
}

// The 8-bit levels a normalised [3, r, r] image came from.
std::vector<int> levels_of(const at::Tensor& chw) {
  std::vector<int> out;
  const at::Tensor t = chw.contiguous();
  const float* x = t.data_ptr<float>();
  const auto plane = static_cast<std::size_t>(t.size(1) * t.size(2));
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t i = 0; i < plane; ++i)
      out.push_back(static_cast<int>(std::lround((x[c * plane + i] * kImageNetStd[c] + kImageNetMean[c]) * 255.0f)));
  return out;
}

}  // namespace

TEST_CASE("colour jitter's brightness and saturation are PIL's blends with black and with the greyscale image") {
  // Hand-computed: (200, 100, 50) has grey (19595*200 + 38470*100 + 7471*50 + 32768) >> 16 = 124.
  RgbImage pixel = make_image(1, 1, [](int, int) { return std::array<std::uint8_t, 3>{200, 100, 50}; });
  RgbImage bright = pixel;
  adjust_brightness(bright, 1.5f);
  CHECK(bright.pixels == std::vector<std::uint8_t>{255, 150, 75});  // 300 clamped
  RgbImage dark = pixel;
  adjust_brightness(dark, 0.25f);
  CHECK(dark.pixels == std::vector<std::uint8_t>{50, 25, 12});  // 12.5 truncated
  RgbImage grey = pixel;
  adjust_saturation(grey, 0.0f);
  CHECK(grey.pixels == std::vector<std::uint8_t>{124, 124, 124});
  RgbImage vivid = pixel;
  adjust_saturation(vivid, 2.0f);
  CHECK(vivid.pixels == std::vector<std::uint8_t>{255, 76, 0});  // 124 + 2 * (v - 124), clamped

  // A patterned image, both orders, factors on both sides of 1.
  const RgbImage image = patterned_image(37, 23, 4);
  for (const ColorJitterDraw draw : {ColorJitterDraw{true, 1.1203f, 0.61f}, ColorJitterDraw{false, 0.8871f, 1.43f},
                                     ColorJitterDraw{true, 0.95f, 1.5f}, ColorJitterDraw{false, 1.12f, 0.5f}}) {
    RgbImage jittered = image;
    apply_color_jitter(jittered, draw);
    CHECK(jittered.pixels == expected_jitter(image, draw).pixels);
    CHECK(jittered.pixels != image.pixels);
  }
  // The order matters: saturation of a brightened image is not brightness of a saturated one.
  RgbImage a = image, b = image;
  apply_color_jitter(a, {true, 1.12f, 1.45f});
  apply_color_jitter(b, {false, 1.12f, 1.45f});
  CHECK(a.pixels != b.pixels);
}

TEST_CASE("OFA's \"tf\" colour jitter draws its factors in torchvision's ranges, both orders, and \"none\" draws nothing") {
  int brightness_first = 0;
  float lowest_b = 2, highest_b = 0, lowest_s = 2, highest_s = 0;
  for (std::uint64_t seed = 0; seed < 2000; ++seed) {
    nasctl::Rng rng(seed);
    const ColorJitterDraw d = draw_color_jitter(ColorJitter::Tf, rng);
    brightness_first += d.brightness_first;
    lowest_b = std::min(lowest_b, d.brightness);
    highest_b = std::max(highest_b, d.brightness);
    lowest_s = std::min(lowest_s, d.saturation);
    highest_s = std::max(highest_s, d.saturation);
  }
  CHECK(lowest_b >= 1.0f - 32.0f / 255.0f - 1e-6f);
  CHECK(highest_b <= 1.0f + 32.0f / 255.0f + 1e-6f);
  CHECK(lowest_b < 0.9f);  // 1 - 32/255 = 0.8745: the range is used
  CHECK(highest_b > 1.1f);
  CHECK(lowest_s >= 0.5f);
  CHECK(highest_s <= 1.5f);
  CHECK(lowest_s < 0.55f);
  CHECK(highest_s > 1.45f);
  CHECK(brightness_first > 800);
  CHECK(brightness_first < 1200);
  nasctl::Rng a(3), b(3);
  const ColorJitterDraw none = draw_color_jitter(ColorJitter::None, a);
  CHECK(none.brightness == 1.0f);
  CHECK(none.saturation == 1.0f);
  CHECK(a() == b());  // nothing was drawn
}

TEST_CASE("a jittered training read is the plain read's crop and flip with the image's drawn jitter, for any loader threads") {
  ScratchFolder folder("datasets-jitter");
  write_patterned_folder(folder, 2, 3, [](int c, int i) { return patterned_image(45 + 5 * i, 33 + 4 * c, c * 7 + i); });
  const auto serial = open_folder(folder, 1), parallel = open_folder(folder, 3);
  const std::vector<std::size_t> order = seeded_draw(6, 6, 9);
  auto read = [&](const Dataset& dataset, ColorJitter jitter) {
    AugmentOptions augment;
    augment.seed = 21;
    augment.color_jitter = jitter;
    std::vector<at::Tensor> images;
    auto stream = dataset.read_augmented(order, 4, 24, augment);
    while (auto batch = stream.next()) images.push_back(batch->images);
    return at::cat(images);
  };
  const at::Tensor plain = read(*serial, ColorJitter::None);
  const at::Tensor jittered = read(*serial, ColorJitter::Tf);
  CHECK(at::equal(jittered, read(*parallel, ColorJitter::Tf)));
  CHECK(at::equal(plain, read(*parallel, ColorJitter::None)));
  CHECK_FALSE(at::equal(plain, jittered));
  // Image i of the read: its draws are seeded by (21, i), the crop and the
  // flip first (as without jitter), then the jitter; applied to the plain
  // read's 8-bit levels they give the jittered read's.
  for (std::size_t i = 0; i < order.size(); ++i) {
    const RgbImage source = patterned_image(45 + 5 * static_cast<int>(order[i] % 3), 33 + 4 * static_cast<int>(order[i] / 3),
                                            static_cast<int>(order[i] / 3) * 7 + static_cast<int>(order[i] % 3));
    nasctl::Rng rng(nasctl::stream_seed(21, i));
    random_resized_crop_box(source.width, source.height, rng);
    nasctl::uniform_unit(rng);  // the flip
    const ColorJitterDraw draw = draw_color_jitter(ColorJitter::Tf, rng);
    const std::vector<int> levels = levels_of(plain[static_cast<std::int64_t>(i)]);
    RgbImage planes;  // the plain levels as an RGB image of 24 x 24
    planes.width = planes.height = 24;
    planes.pixels.resize(24 * 24 * 3);
    for (std::size_t p = 0; p < 24 * 24; ++p)
      for (std::size_t c = 0; c < 3; ++c) planes.pixels[p * 3 + c] = static_cast<std::uint8_t>(levels[c * 24 * 24 + p]);
    const RgbImage expected = expected_jitter(planes, draw);
    const std::vector<int> got = levels_of(jittered[static_cast<std::int64_t>(i)]);
    int mismatched = 0;
    for (std::size_t p = 0; p < 24 * 24; ++p)
      for (std::size_t c = 0; c < 3; ++c) mismatched += got[c * 24 * 24 + p] != expected.pixels[p * 3 + c];
    INFO("image " << i);
    CHECK(mismatched == 0);
  }
}

TEST_CASE("elastic resolution: each batch of a training read comes at its own size, as a read at that size gives it") {
  ScratchFolder folder("datasets-elastic");
  write_patterned_folder(folder, 2, 5, [](int c, int i) { return patterned_image(41 + 3 * i, 35 + 6 * c, c * 5 + i); });
  const auto serial = open_folder(folder, 1), parallel = open_folder(folder, 3);
  const std::vector<std::size_t> order = seeded_draw(10, 10, 4);
  // Batches of 3: sizes 16, 24, 16 and 8 (the last batch holds one image).
  const std::vector<int> sizes{16, 24, 16, 8};
  auto read = [&](const Dataset& dataset, const std::vector<int>& resolutions, int resolution) {
    AugmentOptions augment;
    augment.seed = 8;
    augment.color_jitter = ColorJitter::Tf;
    augment.batch_resolutions = resolutions;
    std::vector<at::Tensor> batches;
    auto stream = dataset.read_augmented(order, 3, resolution, augment);
    while (auto batch = stream.next()) batches.push_back(batch->images);
    return batches;
  };
  const std::vector<at::Tensor> elastic = read(*serial, sizes, 16);
  const std::vector<at::Tensor> threaded = read(*parallel, sizes, 16);
  REQUIRE(elastic.size() == 4);
  REQUIRE(threaded.size() == 4);
  for (std::size_t b = 0; b < elastic.size(); ++b) {
    INFO("batch " << b);
    const std::int64_t images = b < 3 ? 3 : 1;
    CHECK(elastic[b].sizes() == at::IntArrayRef({images, 3, sizes[b], sizes[b]}));
    CHECK(at::equal(elastic[b], threaded[b]));
    // The same draws as a whole read at that size: batch b's images equal
    // that read's batch b.
    const std::vector<at::Tensor> fixed = read(*serial, {}, sizes[b]);
    CHECK(at::equal(elastic[b], fixed[b]));
  }
  // One size per batch, each one the dataset can serve.
  CHECK_THROWS_AS(read(*serial, {16, 24}, 16), std::invalid_argument);
  CHECK(error_of([&] { read(*serial, {16, 0, 16, 16}, 16); }).find("resolution 0 cannot be served") != std::string::npos);
}
