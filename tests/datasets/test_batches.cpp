// Batches come in the order asked for, with the same content whatever the
// number of loader threads; seeded subsets and splits are the same for the
// same seed.
#include "datasets_doctest.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "dataset_files.hpp"
#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/datasets/evaluation_transform.hpp"
#include "nasctl/datasets/image_decoder.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"

using namespace nasctl::datasets;
using namespace nasctl::datasets::test;
namespace fs = std::filesystem;

namespace {

// 3 classes, 23 images of different sizes and both formats.
void write_mixed_folder(const fs::path& root) {
  int n = 0;
  for (const char* name : {"cat", "dog", "eel"}) {
    fs::create_directories(root / name);
    for (int i = 0; i < 8 && n < 23; ++i, ++n) {
      const RgbImage image = patterned_image(30 + 7 * n, 20 + 3 * (n % 5), n);
      const std::string stem = std::string(name) + "_" + std::to_string(i);
      if (n % 3 == 0) {
        write_png(root / name / (stem + ".png"), image);
      } else {
        write_jpeg(root / name / (stem + ".jpg"), image, 80 + n);
      }
    }
  }
}

std::vector<Batch> read_everything(const Dataset& dataset, const std::vector<std::size_t>& indices,
                                   std::size_t batch_size, int resolution) {
  std::vector<Batch> batches;
  auto stream = dataset.read(indices, batch_size, resolution);
  while (auto batch = stream.next()) batches.push_back(*batch);
  return batches;
}

std::shared_ptr<const ImageFolder> open(const fs::path& root, int threads, std::size_t prefetch) {
  ImageFolderOptions options;
  options.root = root;
  options.threads = threads;
  options.prefetch_batches = prefetch;
  return open_image_folder(options);
}

}  // namespace

TEST_CASE("batches hold the requested items in order, identical with 1 and 4 loader threads") {
  ScratchFolder folder("datasets-threads");
  write_mixed_folder(folder.path());
  const auto one_thread = open(folder.path(), 1, 0);
  const auto four_threads = open(folder.path(), 4, 3);
  REQUIRE(one_thread->size() == 23);
  CHECK(four_threads->threads() == 4);

  // A scrambled order with a repeat, in batches of 5: 4 full, 1 of 3.
  std::vector<std::size_t> order = seeded_draw(23, 23, 99);
  order.push_back(order.front());
  const auto serial = read_everything(*one_thread, order, 5, 24);
  const auto parallel = read_everything(*four_threads, order, 5, 24);
  REQUIRE(serial.size() == 5);
  REQUIRE(parallel.size() == 5);
  CHECK(serial.back().images.size(0) == 4);
  for (std::size_t b = 0; b < serial.size(); ++b) {
    CHECK(at::equal(serial[b].images, parallel[b].images));
    CHECK(at::equal(serial[b].labels, parallel[b].labels));
    for (std::int64_t i = 0; i < serial[b].images.size(0); ++i) {
      const std::size_t item = order[b * 5 + static_cast<std::size_t>(i)];
      CHECK(serial[b].labels[i].item<std::int64_t>() == one_thread->label(item));
      // Each slot holds the transform of its own file.
      at::Tensor alone = at::empty({3, 24, 24}, at::kFloat);
      apply_evaluation_transform(decode_image_file(one_thread->file(item)), 24, alone.data_ptr<float>());
      CHECK(at::equal(serial[b].images[i], alone));
    }
  }
}

TEST_CASE("a batch's memory is reused once the caller drops it, and later batches still hold their own images") {
  ScratchFolder folder("datasets-reuse");
  write_mixed_folder(folder.path());
  const auto dataset = open(folder.path(), 2, 1);
  const std::vector<std::size_t> order = seeded_draw(23, 23, 5);
  const auto kept = read_everything(*dataset, order, 3, 16);  // all held: no block can be reused
  std::set<const void*> blocks;
  std::size_t b = 0;
  auto stream = dataset->read(order, 3, 16);
  while (auto batch = stream.next()) {  // each batch dropped before the next is taken
    CHECK(at::equal(batch->images, kept[b].images));
    CHECK(at::equal(batch->labels, kept[b].labels));
    blocks.insert(batch->images.data_ptr());
    ++b;
  }
  CHECK(b == 8);
  // One block per batch being decoded (the one taken and 1 prefetched) plus
  // the one just dropped: 8 batches in at most 3 blocks.
  CHECK(blocks.size() <= 3);
}

TEST_CASE("a stream gives batch_count() batches, then nothing, an empty read gives none") {
  ScratchFolder folder("datasets-count");
  write_mixed_folder(folder.path());
  const auto dataset = open(folder.path(), 2, 1);
  auto stream = dataset->read_all(10);
  CHECK(stream.batch_count() == 3);
  int batches = 0;
  while (stream.next()) ++batches;
  CHECK(batches == 3);
  CHECK_FALSE(stream.next());
  CHECK(dataset->read({}, 10, 32).batch_count() == 0);
}

TEST_CASE("a stream dropped before its end stops its loader threads and may outlive its dataset") {
  ScratchFolder folder("datasets-drop");
  write_mixed_folder(folder.path());
  auto dataset = open(folder.path(), 3, 2);
  auto stream = dataset->read_all(2);
  dataset.reset();  // the stream holds the file list it needs
  CHECK(stream.next());
  CHECK(stream.next());
  // Leaving scope with batches still being decoded must neither hang nor crash.
}

TEST_CASE("a seeded draw is the same for the same seed, distinct items, and other items for another seed") {
  const auto first = seeded_draw(1000, 50, 7);
  CHECK(first == seeded_draw(1000, 50, 7));
  CHECK(first != seeded_draw(1000, 50, 8));
  CHECK(std::set<std::size_t>(first.begin(), first.end()).size() == 50);
  CHECK(*std::max_element(first.begin(), first.end()) < 1000);
  // A smaller draw is the start of a larger one: growing a calibration
  // subset keeps the images it had.
  CHECK(std::vector<std::size_t>(first.begin(), first.begin() + 5) == seeded_draw(1000, 5, 7));
  // std::mt19937_64 and nasctl::uniform_index are exact on every platform,
  // so these are the items of seed 7 everywhere.
  CHECK(std::vector<std::size_t>(first.begin(), first.begin() + 5) == std::vector<std::size_t>{754, 949, 119, 892, 144});
  const auto everything = seeded_draw(10, 10, 3);
  CHECK(std::set<std::size_t>(everything.begin(), everything.end()).size() == 10);
}

TEST_CASE("carving splits a population in two disjoint ascending parts of the asked sizes") {
  const Split split = carve(100, 30, 5);
  CHECK(split.carved.size() == 30);
  CHECK(split.kept.size() == 70);
  CHECK(std::is_sorted(split.carved.begin(), split.carved.end()));
  CHECK(std::is_sorted(split.kept.begin(), split.kept.end()));
  std::set<std::size_t> all(split.carved.begin(), split.carved.end());
  all.insert(split.kept.begin(), split.kept.end());
  CHECK(all.size() == 100);
  CHECK(carve(100, 30, 5).carved == split.carved);
  CHECK(carve(100, 0, 5).kept.size() == 100);
}

TEST_CASE("a seeded subset of a dataset reads the same images as the dataset at the drawn items") {
  ScratchFolder folder("datasets-subset");
  write_mixed_folder(folder.path());
  std::shared_ptr<const Dataset> dataset = open(folder.path(), 2, 1);
  const auto subset = seeded_subset(dataset, 6, 2024);
  CHECK(subset->size() == 6);
  CHECK(subset->classes() == dataset->classes());
  CHECK(subset->description().find("seed 2024") != std::string::npos);
  const auto& view = dynamic_cast<const DatasetView&>(*subset);
  std::vector<std::size_t> drawn;
  for (std::size_t i = 0; i < 6; ++i) drawn.push_back(view.base_index(i));
  CHECK(drawn == seeded_draw(23, 6, 2024));
  const auto from_subset = read_everything(*subset, all_indices(*subset), 4, 20);
  const auto from_dataset = read_everything(*dataset, drawn, 4, 20);
  REQUIRE(from_subset.size() == 2);
  for (std::size_t b = 0; b < 2; ++b) {
    CHECK(at::equal(from_subset[b].images, from_dataset[b].images));
    CHECK(at::equal(from_subset[b].labels, from_dataset[b].labels));
  }
  CHECK(seeded_subset(dataset, 6, 2024)->description() == subset->description());
}
