// Fashion-MNIST (Zalando, 70,000 28x28 grey images of 10 clothing classes),
// read from the four idx files Debian's dataset-fashion-mnist installs in
// /usr/share/datasets/fashion-mnist. The 60,000 training images are split
// into train and validation (seeded, deterministic); the 10,000 test images
// are kept apart for final numbers.
//
// Images are float32 [n, 1, 28, 28]: pixel / 255, then (x - mean) / std with
// the mean and standard deviation of all 60,000 training pixels (below).
// Fixed constants rather than statistics of whichever split is read, so a
// network sees the same input scale in training, validation and test, and a
// different split seed does not change the inputs. Labels are int64 0..9.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "nasctl/datasets/dataset.hpp"

namespace nasctl::datasets {

// Mean and (population) standard deviation of the 60,000 x 784 training
// pixels scaled to [0, 1], as computed from the files (0.28604 and 0.35302;
// test_datasets recomputes the mean from the installed package).
inline constexpr float kFashionMnistMean = 0.2860f;
inline constexpr float kFashionMnistStd = 0.3530f;

// Where Debian's dataset-fashion-mnist puts the files.
inline constexpr const char* kFashionMnistDebianFolder = "/usr/share/datasets/fashion-mnist";

struct FashionMnistOptions {
  // Holds train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz),
  // t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz).
  std::filesystem::path folder = kFashionMnistDebianFolder;
  // Training images set aside for validation (10,000 like OFA's ImageNet
  // provider sets aside from its training set, and as many as the test set).
  std::size_t validation_size = 10000;
  std::uint64_t split_seed = 0;
};

struct FashionMnist {
  std::shared_ptr<const Dataset> train;       // 60,000 - validation_size images
  std::shared_ptr<const Dataset> validation;  // validation_size images of the training file
  std::shared_ptr<const Dataset> test;        // the 10,000 test images
};

// Reads and checks the four files. A missing file names the Debian package
// that provides them; a corrupt one is named with what is wrong.
FashionMnist open_fashion_mnist(const FashionMnistOptions& options = {});

}  // namespace nasctl::datasets
