#include "evaluation_data.hpp"

#include <vector>

#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/error.hpp"

namespace nasctl::accuracy::supernet {

namespace {

using datasets::Dataset;

std::shared_ptr<const Dataset> open_folder(const PluginConfig& config, const std::string& key, int threads) {
  datasets::ImageFolderOptions options;
  options.root = config.get_path(key);
  options.threads = threads;
  try {
    return datasets::open_image_folder(options);
  } catch (const Error& e) {
    config.fail(key, e.what());
  }
}

// The validation split and the training part of `dataset` (calibration is
// drawn from the latter unless calibration_folder is given).
struct Parts {
  std::shared_ptr<const Dataset> train;  // null when all of the dataset is validation
  std::shared_ptr<const Dataset> validation;
};

Parts open_parts(const PluginConfig& config, int threads) {
  const std::string dataset = config.get_string("dataset");
  const auto split = static_cast<std::size_t>(config.get_int("validation_split"));
  const auto split_seed = static_cast<std::uint64_t>(config.get_int("split_seed"));
  if (dataset == kFashionMnist) {
    if (!config.get_string("calibration_folder").empty())
      config.fail("calibration_folder",
                  "Fashion-MNIST re-calibrates on its own training images; fix: remove calibration_folder");
    if (split == 0)
      config.fail("validation_split",
                  "Fashion-MNIST's validation images are carved from its training file and 0 leaves none; fix: "
                  "give the number of validation images, e.g. 10000");
    datasets::FashionMnistOptions options;
    options.folder = config.get_path("fashion_mnist_folder");
    options.validation_size = split;
    options.split_seed = split_seed;
    try {
      datasets::FashionMnist fashion = datasets::open_fashion_mnist(options);
      // The test file is for the final figure of a chosen network only: a
      // search that ranks on it would tune to the test images.
      return {fashion.train, config.get_string("split") == "test" ? fashion.test : fashion.validation};
    } catch (const Error& e) {
      config.fail("fashion_mnist_folder", e.what());
    }
  }
  if (config.get_string("split") == "test")
    config.fail("split", "\"test\" is Fashion-MNIST's test file; an image folder has no test part of its own; fix: "
                         "give the test images' folder as dataset with validation_split = 0 and calibration_folder");
  std::shared_ptr<const Dataset> folder = open_folder(config, "dataset", threads);
  if (split == 0) {
    if (config.get_string("calibration_folder").empty())
      config.fail("validation_split",
                  "0 makes all of the dataset validation images and leaves none for batch-norm re-calibration; fix: "
                  "give calibration_folder (e.g. ImageNet's train folder) or a split smaller than the " +
                      std::to_string(folder->size()) + " images");
    return {nullptr, folder};
  }
  if (split >= folder->size())
    config.fail("validation_split", "a split of " + std::to_string(split) + " images leaves none of the " +
                                        std::to_string(folder->size()) + " images of " + folder->description() +
                                        " for re-calibration; fix: give at most " +
                                        std::to_string(folder->size() - 1) + ", or 0 with calibration_folder");
  datasets::TrainValidation parts = datasets::split_train_validation(folder, split, split_seed);
  return {parts.train, parts.validation};
}

}  // namespace

EvaluationData open_evaluation_data(const PluginConfig& config) {
  const int threads = static_cast<int>(config.get_int("loader_threads"));
  Parts parts = open_parts(config, threads);
  std::shared_ptr<const Dataset> pool = parts.train;
  if (!config.get_string("calibration_folder").empty()) {
    pool = open_folder(config, "calibration_folder", threads);
    if (pool->classes() != parts.validation->classes())
      config.fail("calibration_folder", pool->description() + " has other classes than " +
                                            parts.validation->description() +
                                            "; fix: give the training folder of the same dataset");
  }
  const auto seed = static_cast<std::uint64_t>(config.get_int("seed"));
  const auto calibration_images = static_cast<std::size_t>(config.get_int("calibration_images"));
  if (calibration_images > pool->size())
    config.fail("calibration_images", std::to_string(calibration_images) + " images asked for, but " +
                                          pool->description() + " holds " + std::to_string(pool->size()) +
                                          "; fix: give at most " + std::to_string(pool->size()));
  EvaluationData data;
  data.calibration = datasets::seeded_subset(pool, calibration_images, seed);
  data.validation = parts.validation;
  data.train = parts.train;
  const auto validation_images = static_cast<std::size_t>(config.get_int("validation_images"));
  if (validation_images > parts.validation->size())
    config.fail("validation_images", std::to_string(validation_images) + " images asked for, but " +
                                         parts.validation->description() + " holds " +
                                         std::to_string(parts.validation->size()) + "; fix: give at most " +
                                         std::to_string(parts.validation->size()) + ", or 0 for all");
  if (validation_images > 0 && validation_images < parts.validation->size())
    data.validation = datasets::seeded_subset(parts.validation, validation_images, seed);

  const std::string dataset = config.get_string("dataset");
  data.conditions = {
      {"dataset", dataset == kFashionMnist ? dataset + " (" + config.get_path("fashion_mnist_folder") + ")"
                                           : config.get_path("dataset")},
      {"classes", std::to_string(data.validation->classes().size())},
      {"validation", data.validation->description()},
      {"validation_images", std::to_string(data.validation->size())},
      {"calibration", data.calibration->description()},
      {"calibration_images", std::to_string(data.calibration->size())},
      {"split_seed", std::to_string(config.get_int("split_seed"))},
      {"seed", std::to_string(seed)},
  };
  return data;
}

}  // namespace nasctl::accuracy::supernet
