// Finding the classes and image files of an ImageNet-layout folder, in
// torchvision's ImageFolder order (see nasctl/datasets/image_folder.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nasctl::datasets {

struct ImageFolderIndex {
  std::filesystem::path root;
  std::vector<std::string> classes;
  std::vector<std::filesystem::path> files;
  std::vector<std::int64_t> labels;  // labels[i] is the class of files[i]
};

// Throws a one-line nasctl::DataError for a missing root, a root without
// class folders, a class folder without images and an image type nasctl
// does not decode.
ImageFolderIndex scan_image_folder(const std::filesystem::path& root);

}  // namespace nasctl::datasets
