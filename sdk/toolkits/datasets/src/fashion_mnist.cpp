#include "nasctl/datasets/fashion_mnist.hpp"

#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "grey_images.hpp"
#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/datasets/idx_file.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/error.hpp"

namespace nasctl::datasets {
namespace fs = std::filesystem;
namespace {

// Zalando's label names, in label order (the dataset's README).
const std::vector<std::string> kClasses = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                           "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
constexpr std::int64_t kSide = 28;
constexpr const char* kDamagedFix =
    "reinstall Debian's dataset-fashion-mnist (apt-get install --reinstall dataset-fashion-mnist) or replace the "
    "file with a complete copy";

// Debian ships <name>.gz; torchvision's raw/ folder holds them unpacked.
fs::path locate(const fs::path& folder, const std::string& name) {
  std::error_code error;
  for (const fs::path& candidate : {folder / (name + ".gz"), folder / name}) {
    if (fs::is_regular_file(candidate, error)) return candidate;
  }
  throw DataError((folder / (name + ".gz")).string() +
                  ": Fashion-MNIST file not found; fix: install Debian's dataset-fashion-mnist (apt-get install "
                  "dataset-fashion-mnist), or point the dataset folder at one holding the four Fashion-MNIST idx files");
}

std::shared_ptr<GreyImageData> load_images_and_labels(const fs::path& folder, const std::string& images_name,
                                                      const std::string& labels_name) {
  const fs::path images_path = locate(folder, images_name);
  const fs::path labels_path = locate(folder, labels_name);
  IdxBytes images = read_idx_file(images_path, 3, kDamagedFix);
  IdxBytes labels = read_idx_file(labels_path, 1, kDamagedFix);
  if (images.dims[1] != kSide || images.dims[2] != kSide) {
    throw DataError(images_path.string() + ": images of " + std::to_string(images.dims[1]) + "x" +
                    std::to_string(images.dims[2]) + " pixels, Fashion-MNIST's are 28x28; fix: " + kDamagedFix);
  }
  if (labels.dims[0] != images.dims[0]) {
    throw DataError(labels_path.string() + ": " + std::to_string(labels.dims[0]) + " labels for the " +
                    std::to_string(images.dims[0]) + " images of " + images_path.string() + "; fix: " + kDamagedFix);
  }
  auto data = std::make_shared<GreyImageData>();
  data->height = kSide;
  data->width = kSide;
  data->pixels = std::move(images.data);
  data->classes = kClasses;
  data->mean = kFashionMnistMean;
  data->std = kFashionMnistStd;
  data->labels.reserve(labels.data.size());
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] >= kClasses.size()) {
      throw DataError(labels_path.string() + ": label " + std::to_string(labels.data[i]) + " of item " +
                      std::to_string(i) + " is outside 0..9; fix: " + kDamagedFix);
    }
    data->labels.push_back(labels.data[i]);
  }
  return data;
}

}  // namespace

FashionMnist open_fashion_mnist(const FashionMnistOptions& options) {
  const std::string where = options.folder.string();
  auto training_data = load_images_and_labels(options.folder, "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
  auto test_data = load_images_and_labels(options.folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
  const std::string test_images = std::to_string(test_data->labels.size());
  auto training_file = std::make_shared<const GreyImages>(std::move(training_data), "Fashion-MNIST training file in " + where);
  auto test = std::make_shared<const GreyImages>(std::move(test_data),
                                                 "Fashion-MNIST test (" + test_images + " images) in " + where);

  const std::size_t training_images = training_file->size();
  if (options.validation_size >= training_images) {
    throw DataError(where + ": a validation split of " + std::to_string(options.validation_size) +
                    " images leaves none of the " + std::to_string(training_images) +
                    " training images for training; fix: use a validation size below " + std::to_string(training_images));
  }
  Split split = carve(training_images, options.validation_size, options.split_seed);
  const std::string carving = std::to_string(options.validation_size) + " of the " + std::to_string(training_images) +
                              " training images, seed " + std::to_string(options.split_seed);

  FashionMnist result;
  result.train = std::make_shared<const DatasetView>(
      training_file, std::move(split.kept),
      "Fashion-MNIST train (" + std::to_string(training_images - options.validation_size) +
          " training images; validation: " + carving + ") in " + where);
  result.validation = std::make_shared<const DatasetView>(training_file, std::move(split.carved),
                                                          "Fashion-MNIST validation (" + carving + ") in " + where);
  result.test = std::move(test);
  return result;
}

}  // namespace nasctl::datasets
