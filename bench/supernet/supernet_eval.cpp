// bench_supernet_eval: how long nasctl's weight-sharing engine takes to
// evaluate OFA MobileNetV3 sub-networks as a search evaluates them (load the
// super-network, activate a sub-network, Once-for-All's batch-norm
// re-calibration on N training images in batches of 200, validation top-1
// on M images), on the CPU or on CUDA, fp32 or with channels-last weights
// and inputs and bf16 autocast. bench/supernet/ofa_reference.py does the
// same work with once-for-all's own code; run_gpu.sh runs both side by side
// and compare.py prints the table. It also checks nasctl's logits against a
// fixture made by tests/fixtures/ofa/make_fixture.py (--check-fixture), on
// the device asked for.
//
//   bench_supernet_eval --checkpoint ofa.pth --calibration DIR --validation DIR
//       --archs archs.txt --device cuda --variants fp32,fp32-nocache,cl,bf16,cl-bf16
//
// Prints one JSON object per line: {"side": "nasctl", "what": "load", ...},
// then one per (variant, sub-network) with the seconds of each step.
#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <c10/core/GradMode.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nasctl/datasets/dataset.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/error.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "ofa_mobilenetv3.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  std::string checkpoint, calibration, validation, archs_file, device = "cpu", fixture;
  // Fashion-MNIST's folder: calibration images from its training file (the
  // first N, file order), validation on its test file; the space then has
  // the small stem and one input channel.
  std::string fashion_mnist;
  double width = 1.0;
  int64_t classes = 1000;
  std::size_t calibration_images = 2000, calibration_batch = 200;
  std::size_t validation_images = 10000, validation_batch = 500;
  int loader_threads = 0;
  std::string variants = "fp32";
  std::string validation_mode = "resident";  // resident (decoded once, on the device) or stream
  bool cudnn_benchmark = false;
  bool tf32 = true;  // PyTorch's default for cuDNN convolutions
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "bench_supernet_eval: " << why
            << "\nusage: bench_supernet_eval --checkpoint PTH [--width 1.0] [--classes 1000] --archs FILE\n"
               "         (--calibration DIR --validation DIR | --fashion-mnist DIR) [--device cpu|cuda] [--variants fp32,fp32-nocache,cl,bf16,cl-bf16]\n"
               "         [--calibration-images 2000] [--calibration-batch 200] [--validation-images 10000]\n"
               "         [--validation-batch 500] [--validation-mode resident|stream] [--loader-threads N]\n"
               "         [--cudnn-benchmark] [--no-tf32]\n"
               "       bench_supernet_eval --check-fixture DIR [--device cuda]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--checkpoint") o.checkpoint = value();
    else if (a == "--calibration") o.calibration = value();
    else if (a == "--validation") o.validation = value();
    else if (a == "--archs") o.archs_file = value();
    else if (a == "--device") o.device = value();
    else if (a == "--check-fixture") o.fixture = value();
    else if (a == "--fashion-mnist") o.fashion_mnist = value();
    else if (a == "--width") o.width = std::stod(value());
    else if (a == "--classes") o.classes = std::stoll(value());
    else if (a == "--calibration-images") o.calibration_images = std::stoul(value());
    else if (a == "--calibration-batch") o.calibration_batch = std::stoul(value());
    else if (a == "--validation-images") o.validation_images = std::stoul(value());
    else if (a == "--validation-batch") o.validation_batch = std::stoul(value());
    else if (a == "--validation-mode") o.validation_mode = value();
    else if (a == "--loader-threads") o.loader_threads = std::stoi(value());
    else if (a == "--variants") o.variants = value();
    else if (a == "--cudnn-benchmark") o.cudnn_benchmark = true;
    else if (a == "--no-tf32") o.tf32 = false;
    else usage("unknown argument " + a);
  }
  if (o.validation_mode != "resident" && o.validation_mode != "stream") usage("--validation-mode: resident or stream");
  return o;
}

std::unique_ptr<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3> ofa_space(double width, int64_t classes, bool small_stem = false,
                                                          int64_t input_channels = 3) {
  std::map<std::string, nasctl::PluginConfig::Entry> entries;
  for (const auto& key : nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys()) entries[key.name] = {key.default_value, "default"};
  std::vector<int64_t> resolutions;
  if (small_stem)
    for (int64_t r = 16; r <= 64; ++r) resolutions.push_back(r);
  else
    for (int64_t r = 128; r <= 224; r += 4) resolutions.push_back(r);
  entries["width"] = {width, "bench"};
  entries["classes"] = {classes, "bench"};
  entries["resolutions"] = {resolutions, "bench"};
  entries["stem"] = {std::string(small_stem ? "small" : "imagenet"), "bench"};
  entries["input_channels"] = {input_channels, "bench"};
  const nasctl::PluginConfig config("ofa-mobilenetv3", "", "bench", std::move(entries));
  return std::make_unique<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>(nasctl::PluginContext{config, "space", 0});
}

void synchronize(const c10::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// bf16 autocast on `device` for the scope, as torch.autocast(device, torch.bfloat16).
class Autocast {
 public:
  Autocast(bool on, const c10::Device& device) : on_(on), type_(device.type()) {
    if (!on_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_dtype(type_, at::kBFloat16);
    at::autocast::set_autocast_enabled(type_, true);
#else
    if (type_ == c10::DeviceType::CUDA) {
      at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
      at::autocast::set_enabled(true);
    } else {
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
      at::autocast::set_cpu_enabled(true);
    }
#endif
  }
  ~Autocast() {
    if (!on_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(type_, false);
#else
    if (type_ == c10::DeviceType::CUDA)
      at::autocast::set_enabled(false);
    else
      at::autocast::set_cpu_enabled(false);
#endif
    at::autocast::clear_cache();
  }
  Autocast(const Autocast&) = delete;
  Autocast& operator=(const Autocast&) = delete;

 private:
  bool on_;
  c10::DeviceType type_;
};

struct Variant {
  std::string name;
  bool cache = true, channels_last = false, bf16 = false;
};

Variant variant_of(const std::string& name) {
  if (name == "fp32") return {name, true, false, false};
  if (name == "fp32-nocache") return {name, false, false, false};
  if (name == "cl") return {name, true, true, false};
  if (name == "bf16") return {name, true, false, true};
  if (name == "cl-bf16") return {name, true, true, true};
  usage("unknown variant '" + name + "' (fp32, fp32-nocache, cl, bf16, cl-bf16)");
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) usage("cannot open " + path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

void print(json j) {
  j["side"] = "nasctl";
  std::cout << j.dump() << std::endl;
}

// Decoded batches of the first `count` images of a folder, on the host
// (pinned when the device is a GPU, as PyTorch's DataLoader(pin_memory=True)
// hands them to once-for-all).
struct HeldBatches {
  std::vector<at::Tensor> images, labels;
};

HeldBatches decode(const nasctl::datasets::Dataset& folder, std::size_t count, std::size_t batch, int resolution,
                   bool pin) {
  std::vector<std::size_t> indices = nasctl::datasets::all_indices(folder);
  if (indices.size() < count) usage(folder.description() + " holds fewer than " + std::to_string(count) + " images");
  indices.resize(count);
  HeldBatches out;
  auto stream = folder.read(indices, batch, resolution);
  while (auto b = stream.next()) {
    out.images.push_back(pin ? b->images.pin_memory() : b->images.clone());
    out.labels.push_back(b->labels);
  }
  return out;
}

int check_fixture(const Options& o) {
  const c10::Device device(o.device);
  if (device.is_cuda()) {
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setFloat32MatmulPrecision("highest");
  }
  std::ifstream in(o.fixture + "/expected.json");
  if (!in) usage("no expected.json in " + o.fixture);
  const json expected = json::parse(in);
  const json& input = expected.at("input");
  const auto shape = input.at("shape").get<std::vector<int64_t>>();
  std::ifstream raw(o.fixture + "/" + input.at("file").get<std::string>(), std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(raw)), std::istreambuf_iterator<char>());
  at::Tensor pixels = at::empty(shape, at::kChar);
  if (static_cast<int64_t>(bytes.size()) != pixels.numel()) throw std::runtime_error("fixture input has the wrong size");
  std::memcpy(pixels.data_ptr(), bytes.data(), bytes.size());
  const at::Tensor images = pixels.to(at::kFloat) * input.at("scale").get<double>();
  auto crop = [&](int64_t r) { return images.narrow(2, 0, r).narrow(3, 0, r).contiguous().to(device); };
  auto logits_of = [](const json& rows) {
    const auto v = rows.get<std::vector<std::vector<float>>>();
    at::Tensor t = at::empty({static_cast<int64_t>(v.size()), static_cast<int64_t>(v[0].size())}, at::kFloat);
    for (std::size_t i = 0; i < v.size(); ++i)
      for (std::size_t j = 0; j < v[i].size(); ++j) t[i][j] = v[i][j];
    return t;
  };
  const auto space = ofa_space(expected.at("width").get<double>(), expected.at("classes").get<int64_t>(),
                               expected.value("stem", std::string("imagenet")) == "small",
                               expected.value("input_channels", int64_t{3}));
  nasctl::supernet::SuperNetwork net =
      nasctl::supernet::SuperNetwork::from_checkpoint(*space, o.fixture + "/" + expected.at("checkpoint").get<std::string>());
  net.to(o.device);
  c10::InferenceMode guard;
  double plain = 0, recalibrated = 0, largest = 0;
  int plain_count = 0, recalibrated_count = 0;
  for (const auto& c : expected.at("subnets")) {
    nasctl::supernet::SubNetwork sub = net.activate(space->parse(c.at("arch").get<std::string>()));
    const at::Tensor want = logits_of(c.at("logits"));
    const at::Tensor got = sub.forward(crop(sub.spec().input.height)).to(at::kCPU);
    const double d = (got - want).abs().max().item<double>();
    plain = std::max(plain, d);
    largest = std::max(largest, want.abs().max().item<double>());
    ++plain_count;
    print({{"what", "logits"}, {"device", o.device}, {"arch", c.at("arch")}, {"max_abs_difference", d}});
  }
  for (const auto& c : expected.at("recalibrated")) {
    nasctl::supernet::SubNetwork sub = net.activate(space->parse(c.at("arch").get<std::string>()));
    const at::Tensor x = crop(sub.spec().input.height);
    std::vector<at::Tensor> batches;
    for (const auto& range : c.at("batches"))
      batches.push_back(x.slice(0, range.at(0).get<int64_t>(), range.at(1).get<int64_t>()));
    std::size_t next = 0;
    sub.recalibrate_batch_norm([&]() { return next < batches.size() ? batches[next++] : at::Tensor(); });
    const at::Tensor want = logits_of(c.at("logits"));
    const double d = (sub.forward(x).to(at::kCPU) - want).abs().max().item<double>();
    recalibrated = std::max(recalibrated, d);
    largest = std::max(largest, want.abs().max().item<double>());
    ++recalibrated_count;
  }
  print({{"what", "fixture"},
         {"fixture", o.fixture},
         {"device", o.device},
         {"width", expected.at("width")},
         {"classes", expected.at("classes")},
         {"torch", TORCH_VERSION},
         {"subnets", plain_count},
         {"max_abs_difference", plain},
         {"recalibrated", recalibrated_count},
         {"recalibrated_max_abs_difference", recalibrated},
         {"largest_abs_logit", largest}});
  return 0;
}

int run(const Options& o) {
  if (o.checkpoint.empty() || o.archs_file.empty() ||
      ((o.calibration.empty() || o.validation.empty()) && o.fashion_mnist.empty()))
    usage("--checkpoint, --archs, and --calibration and --validation or --fashion-mnist are needed");
  const c10::Device device(o.device);
  if (device.is_cuda()) {
    at::globalContext().setBenchmarkCuDNN(o.cudnn_benchmark);
    at::globalContext().setAllowTF32CuDNN(o.tf32);
  }
  const bool fashion = !o.fashion_mnist.empty();
  const auto space = fashion ? ofa_space(o.width, 10, true, 1) : ofa_space(o.width, o.classes);
  std::vector<nasctl::Architecture> archs;
  for (const std::string& line : read_lines(o.archs_file)) archs.push_back(space->parse(line));
  if (archs.empty()) usage(o.archs_file + " names no architecture");

  // Load: read the checkpoint, move it to the device.
  auto start = Clock::now();
  nasctl::supernet::SuperNetwork net = nasctl::supernet::SuperNetwork::from_checkpoint(*space, o.checkpoint);
  net.to(o.device);
  synchronize(device);
  print({{"what", "load"}, {"device", o.device}, {"seconds", seconds_since(start)}, {"torch", TORCH_VERSION}});

  std::shared_ptr<const nasctl::datasets::Dataset> calibration_folder, validation_folder;
  int loader_threads = 0;
  start = Clock::now();
  if (fashion) {
    nasctl::datasets::FashionMnistOptions fm;
    fm.folder = o.fashion_mnist;
    fm.validation_size = 0;  // the whole training file, in file order
    const nasctl::datasets::FashionMnist sets = nasctl::datasets::open_fashion_mnist(fm);
    calibration_folder = sets.train;
    validation_folder = sets.test;
    print({{"what", "open"}, {"seconds", seconds_since(start)}, {"calibration", sets.train->description()},
           {"validation", sets.test->description()}});
  } else {
    nasctl::datasets::ImageFolderOptions folder_options;
    folder_options.threads = o.loader_threads;
    folder_options.root = o.calibration;
    auto folder = nasctl::datasets::open_image_folder(folder_options);
    loader_threads = folder->threads();
    calibration_folder = folder;
    folder_options.root = o.validation;
    validation_folder = nasctl::datasets::open_image_folder(folder_options);
  }
  const int resolution = static_cast<int>(net.activate(archs.front()).spec().input.height);

  // The calibration images: decoded once and held (once-for-all keeps its
  // sub_train batches in memory too), moved to the device batch by batch.
  start = Clock::now();
  const HeldBatches calibration =
      decode(*calibration_folder, o.calibration_images, o.calibration_batch, resolution, device.is_cuda());
  const double calibration_decode = seconds_since(start);
  print({{"what", "calibration_decode"}, {"images", o.calibration_images}, {"seconds", calibration_decode},
         {"images_per_s", o.calibration_images / calibration_decode}, {"loader_threads", loader_threads}});

  // Validation images resident on the device (decoded once), or streamed
  // from the folder for every sub-network.
  HeldBatches resident;
  if (o.validation_mode == "resident") {
    start = Clock::now();
    HeldBatches host = decode(*validation_folder, o.validation_images, o.validation_batch, resolution, false);
    const double decode_seconds = seconds_since(start);
    for (std::size_t i = 0; i < host.images.size(); ++i) {
      resident.images.push_back(host.images[i].to(device));
      resident.labels.push_back(host.labels[i].to(device));
      host.images[i].reset();
    }
    print({{"what", "validation_decode"}, {"images", o.validation_images}, {"seconds", decode_seconds},
           {"images_per_s", o.validation_images / decode_seconds}});
  }
  std::vector<std::size_t> validation_indices = nasctl::datasets::all_indices(*validation_folder);
  if (validation_indices.size() < o.validation_images) usage("the validation folder holds too few images");
  validation_indices.resize(o.validation_images);

  c10::InferenceMode inference;
  for (const std::string& variant_name : split(o.variants, ',')) {
    const Variant variant = variant_of(variant_name);
    auto on_device = [&](const at::Tensor& images) {
      at::Tensor x = images.to(device, /*non_blocking=*/images.is_pinned());
      return variant.channels_last ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
    };
    // One evaluation: activate, re-calibrate, validate.
    auto evaluate = [&](const nasctl::Architecture& arch, std::size_t calibration_batches,
                        std::size_t validation_batches) {
      json row;
      auto t = Clock::now();
      nasctl::supernet::SubNetwork sub = net.activate(arch);
      if (variant.cache) sub.cache_tensors(variant.channels_last);
      synchronize(device);
      row["activate_s"] = seconds_since(t);
      // Re-calibration in float32 (as ofa_reference.py: batch statistics
      // summed over 2,000 images), validation under bf16 autocast.
      t = Clock::now();
      std::size_t next = 0;
      const int64_t seen = sub.recalibrate_batch_norm([&]() {
        return next < std::min(calibration_batches, calibration.images.size()) ? on_device(calibration.images[next++])
                                                                                : at::Tensor();
      });
      synchronize(device);
      row["calibration_s"] = seconds_since(t);
      row["calibration_images"] = seen;
      Autocast autocast(variant.bf16, device);
      t = Clock::now();
      at::Tensor correct = at::zeros({}, at::TensorOptions().dtype(at::kLong).device(device));
      int64_t images = 0;
      if (o.validation_mode == "resident") {
        for (std::size_t i = 0; i < std::min(validation_batches, resident.images.size()); ++i) {
          const at::Tensor logits = sub.forward(variant.channels_last
                                                    ? resident.images[i].contiguous(at::MemoryFormat::ChannelsLast)
                                                    : resident.images[i]);
          correct += logits.argmax(1).eq(resident.labels[i]).sum();
          images += resident.images[i].size(0);
        }
      } else {
        auto stream = validation_folder->read(validation_indices, o.validation_batch, resolution);
        for (std::size_t i = 0; i < validation_batches; ++i) {
          auto b = stream.next();
          if (!b) break;
          const at::Tensor logits = sub.forward(on_device(b->images));
          correct += logits.argmax(1).eq(b->labels.to(device)).sum();
          images += b->images.size(0);
        }
      }
      const int64_t right = correct.item<int64_t>();  // waits for the device
      row["validation_s"] = seconds_since(t);
      row["validation_images"] = images;
      row["top1"] = images ? 100.0 * static_cast<double>(right) / static_cast<double>(images) : 0.0;
      return row;
    };
    // Warm-up (cuDNN/oneDNN set-up, allocator): one calibration batch and
    // one validation batch of the first sub-network, not reported.
    evaluate(archs.front(), 1, 1);
    for (std::size_t a = 0; a < archs.size(); ++a) {
      json row = evaluate(archs[a], SIZE_MAX, SIZE_MAX);
      const double total =
          row["activate_s"].get<double>() + row["calibration_s"].get<double>() + row["validation_s"].get<double>();
      row["what"] = "subnet";
      row["variant"] = variant.name;
      row["arch_index"] = a;
      row["arch"] = space->to_dynast(archs[a]);
      row["device"] = o.device;
      row["validation_mode"] = o.validation_mode;
      row["validation_batch"] = o.validation_batch;
      row["total_s"] = total;
      row["validation_images_per_s"] = row["validation_images"].get<int64_t>() / row["validation_s"].get<double>();
      print(row);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    return o.fixture.empty() ? run(o) : check_fixture(o);
  } catch (const std::exception& e) {
    std::cerr << "bench_supernet_eval: " << e.what() << "\n";
    return 1;
  }
}
