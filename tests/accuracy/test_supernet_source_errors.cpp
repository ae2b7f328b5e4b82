// Every bad input of the "supernet" accuracy source is one line that names
// the key (or the file) and says what to do: checkpoints of another space,
// width or number of classes, damaged, non-checkpoint and incomplete files,
// an architecture outside the super-network, missing, empty and unreadable
// datasets, datasets the networks cannot read. Nothing is half-done: a
// failed prepare() leaves the source unprepared.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <fstream>

#include "accuracy_support.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "tiny_rgb_space.hpp"

using namespace nasctl;
using test::CandidateHolder;

namespace {

void check_one_line(const std::string& message, const std::vector<std::string>& parts) {
  CAPTURE(message);
  CHECK(message != "(no error)");
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.find("fix:") != std::string::npos);
  for (const std::string& part : parts) CHECK_MESSAGE(message.find(part) != std::string::npos, "missing: " << part);
}

struct Folder {
  test::ScratchFolder scratch{"supernet-errors"};
  std::string images = (scratch / "images").string();
  Folder() { test::write_image_folder(images, 10, 4); }
  std::string file(const std::string& name) const { return (scratch / name).string(); }
};

// prepare() of a source whose checkpoint is `checkpoint`, on `space`.
std::string prepare_error(const Folder& f, const SearchSpace& space, const std::string& checkpoint) {
  auto keys = test::small_keys(f.images);
  keys["checkpoint"] = checkpoint;
  auto source = test::make_source(keys);
  const std::string message = test::error_of([&] { source->prepare(space); });
  // Not prepared: evaluating still says so rather than using half a state.
  CHECK(test::error_of([&] {
          source->evaluate(CandidateHolder(space, Architecture(space.variables().size(), 0)).candidate);
        }).find("prepare") != std::string::npos);
  return message;
}

}  // namespace

TEST_CASE("supernet source errors: a checkpoint of another space names the key, the file and the tensors it holds") {
  Folder f;
  const test::TinyRgbSpace tiny(10);
  supernet::SuperNetwork(tiny, 1).save(f.file("tiny.pth"));
  check_one_line(prepare_error(f, *test::ofa_space(), f.file("tiny.pth")),
                 {"key 'accuracy.checkpoint'", f.file("tiny.pth"), "holds none of the tensors", "conv.weight"});
}

TEST_CASE("supernet source errors: a checkpoint of another width or number of classes names the tensor and both shapes") {
  Folder f;
  check_one_line(prepare_error(f, *test::ofa_space(0.5, 10), test::ofa_checkpoint()),
                 {"key 'accuracy.checkpoint'", "has shape", "width 0.5"});
  check_one_line(prepare_error(f, *test::ofa_space(0.35, 1000), test::ofa_checkpoint()),
                 {"key 'accuracy.checkpoint'", "classifier.linear.weight", "[10, ", "1000 classes"});
}

TEST_CASE("supernet source errors: truncated, empty and non-checkpoint files are one line naming the file") {
  Folder f;
  const auto space = test::ofa_space();
  {
    std::ifstream in(test::ofa_checkpoint(), std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(f.file("cut.pth"), std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  }
  check_one_line(prepare_error(f, *space, f.file("cut.pth")), {"key 'accuracy.checkpoint'", f.file("cut.pth")});
  std::ofstream(f.file("empty.pth"));
  check_one_line(prepare_error(f, *space, f.file("empty.pth")),
                 {"key 'accuracy.checkpoint'", f.file("empty.pth"), "is empty"});
  std::ofstream(f.file("notes.pth")) << "these are notes, not weights\n";
  check_one_line(prepare_error(f, *space, f.file("notes.pth")),
                 {"key 'accuracy.checkpoint'", f.file("notes.pth"), "not a PyTorch checkpoint"});
  check_one_line(prepare_error(f, *space, f.file("absent.pth")),
                 {"key 'accuracy.checkpoint'", f.file("absent.pth"), "cannot open"});
}

TEST_CASE("supernet source errors: a checkpoint with missing tensors names them") {
  Folder f;
  supernet::StateDict state = supernet::read_checkpoint(test::ofa_checkpoint());
  REQUIRE(state.erase("blocks.5.conv.depth_conv.bn.bn.running_var"));
  supernet::write_checkpoint(state, f.file("incomplete.pth"));
  check_one_line(prepare_error(f, *test::ofa_space(), f.file("incomplete.pth")),
                 {"key 'accuracy.checkpoint'", "lacks 1 tensor", "blocks.5.conv.depth_conv.bn.bn.running_var"});
}

TEST_CASE("supernet source errors: an architecture outside the super-network is an evaluation error naming it") {
  test::ScratchFolder scratch("supernet-outside");
  test::write_image_folder(scratch / "images", 3, 4);
  const test::TinyRgbSpace space(3);
  supernet::SuperNetwork(space, 5).save((scratch / "tiny.pth").string());
  const test::TinyRgbSpace wider(3, /*too_wide=*/true);
  auto source = test::make_source({{"checkpoint", (scratch / "tiny.pth").string()},
                                   {"dataset", (scratch / "images").string()},
                                   {"validation_split", int64_t{6}},
                                   {"calibration_images", int64_t{6}}});
  source->prepare(wider);
  CHECK(source->evaluate(CandidateHolder(wider, {1, 0}).candidate).at("top5") == 100.0);
  const CandidateHolder outside(wider, {2, 0});
  std::string message;
  try {
    source->evaluate(outside.candidate);
  } catch (const EvaluationError& e) {
    message = e.what();
  }
  check_one_line(message, {"supernet 'acc'", "outside the tiny-rgb super-network", "conv.weight"});
  CHECK(source->measured() == 1);
}

TEST_CASE("supernet source errors: a missing, empty or imageless dataset folder is one line naming the key") {
  Folder f;
  auto keys = test::small_keys(f.file("nowhere"));
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.dataset'", f.file("nowhere")});
  std::filesystem::create_directories(f.file("empty"));
  keys["dataset"] = f.file("empty");
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.dataset'", f.file("empty")});
  std::filesystem::create_directories(f.file("no-images/c0"));
  std::ofstream(f.file("no-images/c0/readme.txt")) << "text\n";
  keys["dataset"] = f.file("no-images");
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.dataset'", "c0"});
  keys["dataset"] = f.images;
  keys["calibration_folder"] = f.file("nowhere");
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.calibration_folder'"});
}

TEST_CASE("supernet source errors: unreadable images stop the evaluation with the file's name") {
  Folder f;
  for (int c = 0; c < 10; ++c) {
    for (int i = 0; i < 4; ++i)
      std::ofstream(f.images + "/c" + std::to_string(c) + "/img" + std::to_string(i) + ".png") << "not a png";
  }
  const auto space = test::ofa_space();
  auto source = test::make_source(test::small_keys(f.images));
  source->prepare(*space);
  std::string message;
  try {
    source->evaluate(CandidateHolder(*space, Architecture(space->variables().size(), 0)).candidate);
  } catch (const EvaluationError& e) {
    message = e.what();
  }
  check_one_line(message, {"supernet 'acc'", f.images, ".png"});
  CHECK(source->measured() == 0);
}

TEST_CASE("supernet source errors: split and subset sizes the dataset cannot give name their key") {
  Folder f;
  auto keys = test::small_keys(f.images);
  keys["validation_split"] = int64_t{40};
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.validation_split'", "at most 39"});
  keys["validation_split"] = int64_t{0};
  check_one_line(test::error_of([&] { test::make_source(keys); }),
                 {"key 'accuracy.validation_split'", "calibration_folder"});
  keys["validation_split"] = int64_t{20};
  keys["calibration_images"] = int64_t{21};
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.calibration_images'", "at most 20"});
  keys["calibration_images"] = int64_t{8};
  keys["validation_images"] = int64_t{21};
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.validation_images'", "at most 20"});
  keys["validation_images"] = int64_t{0};
  keys["bf16"] = true;
  check_one_line(test::error_of([&] { test::make_source(keys); }), {"key 'accuracy.bf16'", "cuda"});
}

TEST_CASE("supernet source errors: a dataset whose classes or images the networks cannot take names the key") {
  Folder f;
  // 3 classes for a 10-class checkpoint.
  test::write_image_folder(f.file("three"), 3, 10);
  auto keys = test::small_keys(f.file("three"));
  auto source = test::make_source(keys);
  check_one_line(test::error_of([&] { source->prepare(*test::ofa_space()); }),
                 {"key 'accuracy.dataset'", "3 classes", "10 logits"});
  // Fashion-MNIST is served at 28 x 28 only, the OFA networks take 128.
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
    MESSAGE("skipped the Fashion-MNIST case: dataset-fashion-mnist is not installed");
    return;
  }
  keys["dataset"] = std::string("fashion-mnist");
  keys["calibration_images"] = int64_t{8};
  keys["validation_split"] = int64_t{100};
  auto fashion = test::make_source(keys);
  check_one_line(test::error_of([&] { fashion->prepare(*test::ofa_space()); }),
                 {"key 'accuracy.dataset'", "28", "128"});
}
