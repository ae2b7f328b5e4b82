// OFA's evaluation transform (resize the short side to ceil(r / 0.875) with
// PIL's bilinear filter, centre crop, scale, normalise) checked against
// values worked out by hand.
//
// Tolerances: the exact (real-valued) filter outputs below are at least
// 0.24 of a level from a rounding boundary, and Pillow's fixed-point weights
// (22 fractional bits) err by less than 255 x 4 taps x 2^-22 < 0.001 of a
// level, so the 8-bit output must match exactly. After
// normalisation the floats must match (v / 255 - mean) / std computed in
// float32 to 1e-6, a few float32 ulps at these magnitudes (< 2.7), while a
// level off would be 1 / (255 x 0.229) = 0.017 off.
#include "datasets_doctest.hpp"

#include <cmath>
#include <vector>

#include "dataset_files.hpp"
#include "nasctl/datasets/evaluation_transform.hpp"
#include "nasctl/datasets/image_folder.hpp"

using namespace nasctl::datasets;
using namespace nasctl::datasets::test;

namespace {

float normalised(int level, int channel) {
  return (static_cast<float>(level) / 255.0f - kImageNetMean[channel]) / kImageNetStd[channel];
}

// R = 10 + 4x + 6y, G = 250 - 2x - 4y, B = 100 on a 32 x 20 image.
RgbImage plane_gradient() {
  return make_image(32, 20, [](int x, int y) {
    return std::array<std::uint8_t, 3>{static_cast<std::uint8_t>(10 + 4 * x + 6 * y),
                                       static_cast<std::uint8_t>(250 - 2 * x - 4 * y), 100};
  });
}

// By hand, resolution 8: short side 20 -> ceil(8 / 0.875) = 10, so the
// image becomes 16 x 10 (scale 2 both ways) and the crop starts at column
// round((16 - 8) / 2) = 4, row round((10 - 8) / 2) = 1. PIL's triangle
// filter, widened to support 2 when halving, averages input samples around
// input position 2 * out + 0.5 with symmetric weights (1/8, 3/8, 3/8, 1/8),
// which reproduces a linear function there exactly. Crop pixel (i, j) is
// resized pixel (4 + i, 1 + j), input position (8.5 + 2i, 2.5 + 2j):
//   R = 10 + 4 (8.5 + 2i) + 6 (2.5 + 2j) = 59 + 8i + 12j
//   G = 250 - 2 (8.5 + 2i) - 4 (2.5 + 2j) = 223 - 4i - 8j
// No tap of the crop's pixels falls outside the image (the first reads input
// columns 7..10 and rows 1..4), where PIL renormalises the clipped weights.
std::array<int, 3> plane_gradient_expected(int i, int j) { return {59 + 8 * i + 12 * j, 223 - 4 * i - 8 * j, 100}; }

// R = 10x, G = 10y, B = 77 on a 24 x 16 image; resolution 8 again: short
// side 16 -> 10 (scale 1.6), long side floor(10 x 24 / 16) = 15, crop column
// round(3.5) = 4 (Python rounds halves to even), row round(1) = 1. At this
// scale the taps are not symmetric about the sampled position, so the
// output is the triangle-weighted mean of the taps, worked out per position.
// Column 4: centre (4 + 0.5) x 1.6 = 7.2, support 1.6; input columns 6, 7, 8
// (centres 6.5, 7.5, 8.5) weigh 1 - |x + 0.5 - 7.2| / 1.6 = 0.5625, 0.8125,
// 0.1875, i.e. 9/25, 13/25, 3/25 once normalised, so
// R = 10 (6 x 9 + 7 x 13 + 8 x 3) / 25 = 67.6 -> 68. The same for columns
// 4..11 gives 67.6, 82.4, 99.26, 115, 130.74, 147.6, 162.4, 179.26 and for
// rows 1..8 (G) 19.26, 35, 50.74, 67.6, 82.4, 99.26, 115, 130.74: all at
// least 0.24 from a rounding boundary.
RgbImage axis_gradient() {
  return make_image(24, 16, [](int x, int y) {
    return std::array<std::uint8_t, 3>{static_cast<std::uint8_t>(10 * x), static_cast<std::uint8_t>(10 * y), 77};
  });
}
std::array<int, 3> axis_gradient_expected(int i, int j) {
  static constexpr int kRed[8] = {68, 82, 99, 115, 131, 148, 162, 179};
  static constexpr int kGreen[8] = {19, 35, 51, 68, 82, 99, 115, 131};
  return {kRed[i], kGreen[j], 77};
}

template <class Expected>
void check_levels(const RgbImage& crop, Expected expected) {
  REQUIRE(crop.width == 8);
  REQUIRE(crop.height == 8);
  for (int j = 0; j < 8; ++j) {
    for (int i = 0; i < 8; ++i) {
      const auto want = expected(i, j);
      for (int c = 0; c < 3; ++c) {
        INFO("pixel (" << i << ", " << j << ") channel " << c);
        CHECK(static_cast<int>(crop.pixel(i, j)[c]) == want[c]);
      }
    }
  }
}

}  // namespace

TEST_CASE("the geometry is OFA's: short side ceil(r / 0.875), long side floored, crop offsets rounded half to even") {
  const EvaluationGeometry imagenet = evaluation_geometry(500, 375, 224);
  CHECK(imagenet.resize_short == 256);
  CHECK(imagenet.resized_width == 341);   // floor(256 x 500 / 375) = floor(341.33)
  CHECK(imagenet.resized_height == 256);
  CHECK(imagenet.crop_left == 58);        // round(58.5) = 58: Python rounds halves to even
  CHECK(imagenet.crop_top == 16);

  const EvaluationGeometry portrait = evaluation_geometry(375, 500, 224);
  CHECK(portrait.resized_width == 256);
  CHECK(portrait.resized_height == 341);
  CHECK(portrait.crop_left == 16);
  CHECK(portrait.crop_top == 58);

  CHECK(evaluation_geometry(503, 375, 224).crop_left == 60);  // floor(343.38) = 343, round(59.5) = 60
  CHECK(evaluation_geometry(600, 600, 160).resize_short == 183);  // ceil(182.86)
  CHECK(evaluation_geometry(600, 600, 160).crop_left == 12);      // round(11.5) = 12
  CHECK(evaluation_geometry(40, 30, 7).resize_short == 8);        // 7 / 0.875 = 8 exactly, not 9
}

TEST_CASE("resize and crop of a gradient image give the hand-computed 8-bit values when halving") {
  check_levels(resize_and_crop(plane_gradient(), 8), plane_gradient_expected);
}

TEST_CASE("resize and crop give the hand-computed 8-bit values at a scale of 1.6, with the half-pixel crop offset") {
  const RgbImage image = axis_gradient();
  const EvaluationGeometry g = evaluation_geometry(image.width, image.height, 8);
  CHECK(g.resized_width == 15);
  CHECK(g.resized_height == 10);
  CHECK(g.crop_left == 4);
  check_levels(resize_and_crop(image, 8), axis_gradient_expected);
}

TEST_CASE("an image already at the resize size is only cropped") {
  // 20 x 10 at resolution 8: the short side is already ceil(8 / 0.875) = 10,
  // and PIL's taps at scale 1 copy each pixel (weights 1 and 0).
  const RgbImage image = patterned_image(20, 10, 5);
  const RgbImage crop = resize_and_crop(image, 8);
  const EvaluationGeometry g = evaluation_geometry(20, 10, 8);
  CHECK(g.resized_width == 20);
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 8; ++x) {
      for (int c = 0; c < 3; ++c) CHECK(crop.pixel(x, y)[c] == image.pixel(x + g.crop_left, y + g.crop_top)[c]);
    }
  }
}

TEST_CASE("the transform scales to [0, 1] and normalises each channel with ImageNet's mean and std, CHW") {
  std::vector<float> out(3 * 8 * 8);
  apply_evaluation_transform(plane_gradient(), 8, out.data());
  for (int j = 0; j < 8; ++j) {
    for (int i = 0; i < 8; ++i) {
      const auto want = plane_gradient_expected(i, j);
      for (int c = 0; c < 3; ++c) {
        CHECK(out[static_cast<std::size_t>(c * 64 + j * 8 + i)] == doctest::Approx(normalised(want[c], c)).epsilon(1e-6));
      }
    }
  }
  CHECK(normalised(0, 0) == doctest::Approx(-0.485 / 0.229).epsilon(1e-6));
  CHECK(normalised(255, 2) == doctest::Approx((1 - 0.406) / 0.225).epsilon(1e-6));
}

TEST_CASE("an image folder read applies the transform: a PNG gradient comes out as the hand-computed tensor") {
  ScratchFolder folder("datasets-transform");
  std::filesystem::create_directories(folder / "gradient");
  write_png(folder / "gradient/plane.png", plane_gradient());
  ImageFolderOptions options;
  options.root = folder.path();
  options.threads = 1;
  const auto dataset = open_image_folder(options);
  auto stream = dataset->read({0}, 1, 8);
  const auto batch = stream.next();
  REQUIRE(batch);
  CHECK((batch->images.sizes() == at::IntArrayRef{1, 3, 8, 8}));
  CHECK((batch->images.scalar_type() == at::kFloat));
  CHECK(batch->images.is_contiguous());
  at::Tensor expected = at::empty({1, 3, 8, 8}, at::kFloat);
  for (int c = 0; c < 3; ++c) {
    for (int j = 0; j < 8; ++j) {
      for (int i = 0; i < 8; ++i) expected[0][c][j][i] = normalised(plane_gradient_expected(i, j)[c], c);
    }
  }
  CHECK(at::allclose(batch->images, expected, 0.0, 1e-6));
  CHECK((batch->labels.scalar_type() == at::kLong));
  CHECK(batch->labels.item<std::int64_t>() == 0);
}

TEST_CASE("grey JPEG and PNG files are read as three equal channels, as PIL's convert(\"RGB\") gives them") {
  ScratchFolder folder("datasets-grey");
  std::filesystem::create_directories(folder / "grey");
  std::vector<std::uint8_t> grey(40 * 30);
  for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<std::uint8_t>(i % 200);
  write_grey_jpeg(folder / "grey/a.jpg", 40, 30, grey);
  write_grey_png(folder / "grey/b.png", 40, 30, grey);
  ImageFolderOptions options;
  options.root = folder.path();
  const auto dataset = open_image_folder(options);
  auto batch = dataset->read({0, 1}, 2, 16).next();
  REQUIRE(batch);
  // Undo the per-channel normalisation: the three planes hold the same levels.
  const at::Tensor mean = at::tensor({kImageNetMean[0], kImageNetMean[1], kImageNetMean[2]}).view({1, 3, 1, 1});
  const at::Tensor std = at::tensor({kImageNetStd[0], kImageNetStd[1], kImageNetStd[2]}).view({1, 3, 1, 1});
  const at::Tensor levels = (batch->images * std + mean) * 255;
  CHECK(at::allclose(levels.select(1, 0), levels.select(1, 1), 0.0, 1e-3));
  CHECK(at::allclose(levels.select(1, 0), levels.select(1, 2), 0.0, 1e-3));
  // The PNG is lossless: its levels are those of the resized grey ramp, not all one value.
  CHECK(levels[1][0].max().item<float>() - levels[1][0].min().item<float>() > 50.0f);
}
