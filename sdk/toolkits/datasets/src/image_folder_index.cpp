#include "image_folder_index.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::datasets {
namespace fs = std::filesystem;
namespace {

constexpr const char* kLayoutFix =
    "point the dataset at a folder with one sub-folder per class holding its images (ImageNet layout: "
    "root/<class>/<image>.JPEG)";

std::string lower_extension(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// torchvision's IMG_EXTENSIONS split in what nasctl decodes and what it
// refuses: a folder must give the same items, numbered the same, to both.
bool is_decodable_image(const std::string& extension) {
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png";
}
bool is_other_torchvision_image(const std::string& extension) {
  return extension == ".bmp" || extension == ".ppm" || extension == ".pgm" || extension == ".tif" ||
         extension == ".tiff" || extension == ".webp";
}

// Python's sorted() of the class folder's os.walk(followlinks=True): every
// folder (links followed) ordered by its path, then its files by name.
std::vector<fs::path> images_of_class(const fs::path& class_folder) {
  std::vector<fs::path> folders{class_folder};
  std::error_code error;
  for (fs::recursive_directory_iterator it(class_folder, fs::directory_options::follow_directory_symlink, error), end;
       !error && it != end; it.increment(error)) {
    if (it->is_directory(error)) folders.push_back(it->path());
  }
  if (error) {
    throw DataError(class_folder.string() + ": cannot be listed (" + error.message() + "); fix: check its permissions");
  }
  std::sort(folders.begin(), folders.end(), [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });

  std::vector<fs::path> images;
  for (const fs::path& folder : folders) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
      if (entry.is_directory(error)) continue;
      const std::string extension = lower_extension(entry.path());
      if (is_other_torchvision_image(extension)) {
        throw DataError(entry.path().string() + ": " + extension.substr(1) +
                        " images are not read by nasctl (JPEG and PNG only); fix: convert it to JPEG or PNG, or move it "
                        "out of the folder");
      }
      if (is_decodable_image(extension)) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });
    images.insert(images.end(), files.begin(), files.end());
  }
  return images;
}

}  // namespace

ImageFolderIndex scan_image_folder(const fs::path& root) {
  std::error_code error;
  if (!fs::exists(root, error)) throw DataError(root.string() + ": no such folder; fix: " + kLayoutFix);
  if (!fs::is_directory(root, error)) throw DataError(root.string() + ": not a folder; fix: " + kLayoutFix);

  ImageFolderIndex index;
  index.root = root;
  try {
    // torchvision's find_classes: every sub-folder (links followed, hidden
    // ones too), sorted by name in code-point order, which for UTF-8 names
    // is byte order.
    for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
      if (entry.is_directory(error)) index.classes.push_back(entry.path().filename().string());
    }
    std::sort(index.classes.begin(), index.classes.end());
    if (index.classes.empty()) throw DataError(root.string() + ": no class folders in it; fix: " + kLayoutFix);

    for (std::size_t label = 0; label < index.classes.size(); ++label) {
      const fs::path class_folder = root / index.classes[label];
      std::vector<fs::path> images = images_of_class(class_folder);
      if (images.empty()) {
        throw DataError(class_folder.string() +
                        ": class folder without images (.jpg, .jpeg or .png); fix: add its images or remove the folder");
      }
      index.labels.insert(index.labels.end(), images.size(), static_cast<std::int64_t>(label));
      for (fs::path& image : images) index.files.push_back(std::move(image));
    }
  } catch (const fs::filesystem_error& e) {
    throw DataError(e.path1().string() + ": cannot be listed (" + e.code().message() + "); fix: check its permissions");
  }
  return index;
}

}  // namespace nasctl::datasets
