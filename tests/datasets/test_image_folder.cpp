// An ImageNet-layout folder is read as torchvision's ImageFolder reads it:
// the same classes, labels and item order.
#include "datasets_doctest.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include "dataset_files.hpp"
#include "nasctl/datasets/image_folder.hpp"

using namespace nasctl::datasets;
using namespace nasctl::datasets::test;
namespace fs = std::filesystem;

namespace {

std::string relative(const ImageFolder& dataset, std::size_t index, const fs::path& root) {
  return fs::relative(dataset.file(index), root).generic_string();
}

}  // namespace

TEST_CASE("classes are the sub-folders sorted by name in byte order, and a label is the position of its class") {
  ScratchFolder folder("datasets-classes");
  for (const char* name : {"zebra", "apple", "Mango", "_misc", "n01440764"}) {
    fs::create_directories(folder / name);
    write_png(folder / name / "x.png", patterned_image(8, 8, 1));
  }
  std::ofstream(folder / "README.txt") << "a file beside the class folders is not a class\n";
  ImageFolderOptions options;
  options.root = folder.path();
  const auto dataset = open_image_folder(options);
  // Python's sorted(): upper case before '_' before lower case.
  CHECK(dataset->classes() == std::vector<std::string>{"Mango", "_misc", "apple", "n01440764", "zebra"});
  REQUIRE(dataset->size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(dataset->label(i) == static_cast<std::int64_t>(i));
    CHECK(dataset->file(i).parent_path().filename().string() == dataset->classes()[i]);
  }
}

TEST_CASE("items are ordered by class, then by folder path, then by file name, sub-folders included") {
  ScratchFolder folder("datasets-order");
  const RgbImage image = patterned_image(8, 8, 2);
  fs::create_directories(folder / "b/sub/deeper");
  fs::create_directories(folder / "b/sub-2");
  fs::create_directories(folder / "a");
  for (const char* file :
       {"b/z.jpg", "b/A.JPEG", "b/sub/m.png", "b/sub/deeper/d.png", "b/sub-2/c.jpeg", "a/2.png", "a/10.png"}) {
    if (fs::path(file).extension() == ".png") {
      write_png(folder / file, image);
    } else {
      write_jpeg(folder / file, image);
    }
  }
  std::ofstream(folder / "b/notes.txt") << "not an image: ignored, as torchvision ignores it\n";
  ImageFolderOptions options;
  options.root = folder.path();
  const auto dataset = open_image_folder(options);
  std::vector<std::string> order;
  for (std::size_t i = 0; i < dataset->size(); ++i) order.push_back(relative(*dataset, i, folder.path()));
  // Names compare as strings ("10" < "2"). Folders come in the order of
  // torchvision's sorted(os.walk(...)) paths: "b" < "b/sub" (a prefix) <
  // "b/sub-2" < "b/sub/deeper" ('-' < '/'), which is not depth-first order.
  CHECK(order == std::vector<std::string>{"a/10.png", "a/2.png", "b/A.JPEG", "b/z.jpg", "b/sub/m.png", "b/sub-2/c.jpeg",
                                          "b/sub/deeper/d.png"});
  CHECK(dataset->label(1) == 0);
  CHECK(dataset->label(2) == 1);
  CHECK(dataset->label(6) == 1);
}

TEST_CASE("an image folder serves any resolution from 1 up, as 3 x r x r inputs") {
  ScratchFolder folder("datasets-shape");
  fs::create_directories(folder / "only");
  write_jpeg(folder / "only/a.jpg", patterned_image(50, 37, 3));
  ImageFolderOptions options;
  options.root = folder.path();
  const auto dataset = open_image_folder(options);
  CHECK(dataset->default_resolution() == 224);
  CHECK(dataset->input_shape(224) == ImageShape{3, 224, 224});
  CHECK(dataset->input_shape(1) == ImageShape{3, 1, 1});
  for (int resolution : {1, 13, 64, 224}) {
    auto batch = dataset->read({0}, 1, resolution).next();
    REQUIRE(batch);
    CHECK(batch->images.size(2) == resolution);
    CHECK(batch->images.size(3) == resolution);
    CHECK(at::isfinite(batch->images).all().item<bool>());
  }
  CHECK(dataset->description().find(folder.path().string()) != std::string::npos);
}
