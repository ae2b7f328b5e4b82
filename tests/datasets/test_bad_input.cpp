// Every way a dataset can be wrong is one line that names the path and says
// what to do, and nothing crashes.
#include "datasets_doctest.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "dataset_files.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/idx_file.hpp"

using namespace nasctl::datasets;
using namespace nasctl::datasets::test;
namespace fs = std::filesystem;

namespace {

void check_one_line(const std::string& message, const std::string& path, const std::string& what) {
  INFO(message);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.find(path) != std::string::npos);
  CHECK(message.find(what) != std::string::npos);
  CHECK(message.find("; fix: ") != std::string::npos);
}

std::string open_error(const fs::path& root) {
  return error_of([&] {
    ImageFolderOptions options;
    options.root = root;
    open_image_folder(options);
  });
}

// The error of reading item 0 of a one-class folder holding `bytes` as `name`.
std::string read_error(const ScratchFolder& folder, const std::string& name, const std::vector<std::uint8_t>& bytes,
                       int threads = 1) {
  fs::create_directories(folder / "class");
  write_bytes(folder / ("class/" + name), bytes);
  ImageFolderOptions options;
  options.root = folder.path();
  options.threads = threads;
  const auto dataset = open_image_folder(options);
  return error_of([&] { dataset->read({0}, 1, 32).next(); });
}

// Writes the four Fashion-MNIST files of `train` training and `test` test
// images (pixels and labels from the index) under `folder`.
void write_fashion_files(const fs::path& folder, std::uint32_t train, std::uint32_t test) {
  for (const auto& [prefix, count] : {std::pair<std::string, std::uint32_t>{"train", train}, {"t10k", test}}) {
    std::vector<std::uint8_t> pixels(count * 28u * 28u, 7);
    std::vector<std::uint8_t> labels(count);
    for (std::uint32_t i = 0; i < count; ++i) labels[i] = static_cast<std::uint8_t>(i % 10);
    write_gzip(folder / (prefix + "-images-idx3-ubyte.gz"), idx_bytes({count, 28, 28}, pixels));
    write_gzip(folder / (prefix + "-labels-idx1-ubyte.gz"), idx_bytes({count}, labels));
  }
}

std::string fashion_error(const fs::path& folder, std::size_t validation_size = 2) {
  return error_of([&] {
    FashionMnistOptions options;
    options.folder = folder;
    options.validation_size = validation_size;
    open_fashion_mnist(options);
  });
}

}  // namespace

TEST_CASE("a missing image folder, a file instead of a folder and a folder without classes are one line each") {
  ScratchFolder folder("datasets-bad-root");
  check_one_line(open_error(folder / "absent"), (folder / "absent").string(), "no such folder");
  std::ofstream(folder / "file.txt") << "x";
  check_one_line(open_error(folder / "file.txt"), (folder / "file.txt").string(), "not a folder");
  fs::create_directories(folder / "empty");
  check_one_line(open_error(folder / "empty"), (folder / "empty").string(), "no class folders");
}

TEST_CASE("a class folder without images names that folder") {
  ScratchFolder folder("datasets-bad-class");
  fs::create_directories(folder / "full");
  write_png(folder / "full/a.png", patterned_image(8, 8, 0));
  fs::create_directories(folder / "hollow/sub");
  std::ofstream(folder / "hollow/readme.txt") << "no images here";
  check_one_line(open_error(folder.path()), (folder / "hollow").string(), "class folder without images");
}

TEST_CASE("an image type torchvision would read but nasctl does not is named, not silently skipped") {
  ScratchFolder folder("datasets-bad-type");
  fs::create_directories(folder / "c");
  write_png(folder / "c/a.png", patterned_image(8, 8, 0));
  write_bytes(folder / "c/b.BMP", {'B', 'M', 0, 0});
  check_one_line(open_error(folder.path()), (folder / "c/b.BMP").string(), "JPEG and PNG only");
}

TEST_CASE("an image that is not an image, an empty one, a corrupt one and a truncated one name their file") {
  SUBCASE("not an image") {
    ScratchFolder folder("datasets-bad-bytes");
    check_one_line(read_error(folder, "x.jpg", {'G', 'I', 'F', '8', '9', 'a', 0, 0}), (folder / "class/x.jpg").string(),
                   "neither a JPEG nor a PNG image (it starts with bytes 47 49 46 38)");
  }
  SUBCASE("empty") {
    ScratchFolder folder("datasets-bad-empty");
    check_one_line(read_error(folder, "x.png", {}), (folder / "class/x.png").string(), "empty file");
  }
  SUBCASE("truncated JPEG") {
    ScratchFolder folder("datasets-bad-truncated");
    std::vector<std::uint8_t> jpeg = encode_jpeg(patterned_image(64, 48, 1), 90);
    // Cut inside the coded image data, after the headers (the start-of-scan
    // marker FF DA), wherever this libjpeg's tables end.
    const std::uint8_t start_of_scan[] = {0xff, 0xda};
    const auto scan = std::search(jpeg.begin(), jpeg.end(), std::begin(start_of_scan), std::end(start_of_scan));
    REQUIRE(scan != jpeg.end());
    jpeg.resize(static_cast<std::size_t>(scan - jpeg.begin()) + static_cast<std::size_t>(jpeg.end() - scan) / 2);
    check_one_line(read_error(folder, "x.jpg", jpeg), (folder / "class/x.jpg").string(), "truncated JPEG");
  }
  SUBCASE("corrupt JPEG header") {
    ScratchFolder folder("datasets-bad-jpeg");
    std::vector<std::uint8_t> jpeg = encode_jpeg(patterned_image(64, 48, 1), 90);
    std::fill(jpeg.begin() + 3, jpeg.begin() + 200, 0x00);
    check_one_line(read_error(folder, "x.jpg", jpeg), (folder / "class/x.jpg").string(), "corrupt JPEG");
  }
  SUBCASE("corrupt PNG") {
    ScratchFolder folder("datasets-bad-png");
    std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    png.insert(png.end(), 40, 0xab);
    check_one_line(read_error(folder, "x.png", png), (folder / "class/x.png").string(), "PNG");
  }
}

TEST_CASE("with several bad images in a batch the first one is reported, whatever the thread count") {
  ScratchFolder folder("datasets-bad-first");
  fs::create_directories(folder / "c");
  write_png(folder / "c/0.png", patterned_image(16, 16, 0));
  write_bytes(folder / "c/1.png", {1, 2, 3});
  write_png(folder / "c/2.png", patterned_image(16, 16, 2));
  write_bytes(folder / "c/3.png", {4, 5, 6});
  for (int threads : {1, 4}) {
    ImageFolderOptions options;
    options.root = folder.path();
    options.threads = threads;
    const auto dataset = open_image_folder(options);
    auto stream = dataset->read_all(4);
    check_one_line(error_of([&] { stream.next(); }), (folder / "c/1.png").string(), "neither a JPEG nor a PNG");
  }
}

TEST_CASE("a resolution a dataset cannot serve is one line") {
  ScratchFolder folder("datasets-bad-resolution");
  fs::create_directories(folder / "c");
  write_png(folder / "c/0.png", patterned_image(16, 16, 0));
  ImageFolderOptions options;
  options.root = folder.path();
  const auto dataset = open_image_folder(options);
  check_one_line(error_of([&] { dataset->read({0}, 1, 0); }), folder.path().string(), "resolution 0 cannot be served");
  check_one_line(error_of([&] { dataset->input_shape(-3); }), folder.path().string(), "resolution -3 cannot be served");
  options.default_resolution = 0;
  check_one_line(error_of([&] { open_image_folder(options); }), folder.path().string(), "resolution 0");
  check_one_line(error_of([&] { dataset->read({0}, 0, 32); }), folder.path().string(), "batch size 0");

  ScratchFolder fashion("datasets-bad-fashion-resolution");
  write_fashion_files(fashion.path(), 4, 2);
  FashionMnistOptions fashion_options;
  fashion_options.folder = fashion.path();
  fashion_options.validation_size = 1;
  const FashionMnist sets = open_fashion_mnist(fashion_options);
  // Resized from 4 to 4 x 28 pixels; beyond that, one line naming the range.
  check_one_line(error_of([&] { sets.test->read({0}, 1, 3); }), fashion.path().string(), "4 to 112 pixels");
  check_one_line(error_of([&] { sets.validation->input_shape(224); }), fashion.path().string(), "resolution 224");
}

TEST_CASE("missing Fashion-MNIST names the file and the Debian package that provides it") {
  ScratchFolder folder("datasets-bad-fashion-missing");
  const std::string message = fashion_error(folder / "nowhere");
  check_one_line(message, (folder / "nowhere/train-images-idx3-ubyte.gz").string(), "not found");
  CHECK(message.find("apt-get install dataset-fashion-mnist") != std::string::npos);
}

TEST_CASE("a truncated idx file, a cut-off gzip stream and a wrong magic number name the file") {
  ScratchFolder folder("datasets-bad-idx");
  SUBCASE("data shorter than the header announces") {
    write_gzip(folder / "short.gz", idx_bytes({5, 28, 28}, std::vector<std::uint8_t>(4 * 28 * 28)));
    check_one_line(error_of([&] { read_idx_file(folder / "short.gz", 3); }), (folder / "short.gz").string(),
                   "truncated: the header announces 5 x 28 x 28 = 3920 bytes of data, the file holds 3136");
  }
  SUBCASE("compressed stream cut off") {
    std::vector<std::uint8_t> noise(20000);
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>((i * 7919) >> 3);
    write_gzip(folder / "whole.gz", idx_bytes({20000}, noise));
    std::ifstream in(folder / "whole.gz", std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes.resize(bytes.size() / 2);
    write_bytes(folder / "cut.gz", bytes);
    check_one_line(error_of([&] { read_idx_file(folder / "cut.gz", 1); }), (folder / "cut.gz").string(), "truncated");
  }
  SUBCASE("header cut off") {
    write_gzip(folder / "stub.gz", {0, 0, 8, 3, 0, 0});
    check_one_line(error_of([&] { read_idx_file(folder / "stub.gz", 3); }), (folder / "stub.gz").string(), "truncated");
  }
  SUBCASE("a header announcing more data than any idx file holds") {
    write_gzip(folder / "huge.gz", idx_bytes({0xffffffffu, 0xffffffffu, 0xffffffffu}, {}));
    check_one_line(error_of([&] { read_idx_file(folder / "huge.gz", 3); }), (folder / "huge.gz").string(),
                   "implausible header");
  }
  SUBCASE("labels where images are expected") {
    write_gzip(folder / "labels.gz", idx_bytes({3}, {1, 2, 3}));
    check_one_line(error_of([&] { read_idx_file(folder / "labels.gz", 3); }), (folder / "labels.gz").string(),
                   "magic number 0x00000801, expected 0x00000803");
  }
  SUBCASE("not an idx file at all") {
    write_gzip(folder / "text.gz", {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
    check_one_line(error_of([&] { read_idx_file(folder / "text.gz", 1); }), (folder / "text.gz").string(),
                   "magic number 0x68656c6c");
  }
  SUBCASE("more data than the header announces") {
    write_gzip(folder / "long.gz", idx_bytes({2}, {1, 2, 3}));
    check_one_line(error_of([&] { read_idx_file(folder / "long.gz", 1); }), (folder / "long.gz").string(),
                   "longer than its header announces");
  }
}

TEST_CASE("damaged Fashion-MNIST files say how to get good ones") {
  ScratchFolder folder("datasets-bad-fashion");
  write_fashion_files(folder.path(), 6, 3);
  SUBCASE("wrong magic number") {
    write_gzip(folder / "t10k-images-idx3-ubyte.gz", idx_bytes({3}, {0, 1, 2}));
    const std::string message = fashion_error(folder.path());
    check_one_line(message, (folder / "t10k-images-idx3-ubyte.gz").string(), "magic number");
    CHECK(message.find("apt-get install --reinstall dataset-fashion-mnist") != std::string::npos);
  }
  SUBCASE("fewer labels than images") {
    write_gzip(folder / "train-labels-idx1-ubyte.gz", idx_bytes({5}, {0, 1, 2, 3, 4}));
    check_one_line(fashion_error(folder.path()), (folder / "train-labels-idx1-ubyte.gz").string(),
                   "5 labels for the 6 images");
  }
  SUBCASE("a label outside 0..9") {
    write_gzip(folder / "train-labels-idx1-ubyte.gz", idx_bytes({6}, {0, 1, 2, 12, 4, 5}));
    check_one_line(fashion_error(folder.path()), (folder / "train-labels-idx1-ubyte.gz").string(),
                   "label 12 of item 3 is outside 0..9");
  }
  SUBCASE("images of another size") {
    write_gzip(folder / "train-images-idx3-ubyte.gz", idx_bytes({6, 32, 32}, std::vector<std::uint8_t>(6 * 32 * 32)));
    check_one_line(fashion_error(folder.path()), (folder / "train-images-idx3-ubyte.gz").string(), "32x32");
  }
  SUBCASE("a validation split as large as the training file") {
    check_one_line(fashion_error(folder.path(), 6), folder.path().string(), "leaves none of the 6 training images");
  }
}
