#include "validation.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <optional>

#include "nasctl/datasets/dataset.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/channels_last.hpp"

namespace nasctl::train::detail {

namespace {

at::Tensor to_device(const at::Tensor& images, const Scoring& scoring) {
  at::Tensor x = images.to(at::Device(scoring.device));
  return scoring.channels_last ? libtorch::channels_last(x) : x;
}

}  // namespace

double top1(const supernet::SuperNetwork& net, const Architecture& arch, const Scoring& scoring) {
  c10::NoGradGuard no_grad;
  supernet::SubNetwork sub = net.activate(arch);
  datasets::BatchStream calibration =
      scoring.calibration->read(datasets::all_indices(*scoring.calibration),
                                static_cast<std::size_t>(scoring.calibration_batch), scoring.resolution);
  sub.recalibrate_batch_norm([&]() -> at::Tensor {
    std::optional<datasets::Batch> batch = calibration.next();
    return batch ? to_device(batch->images, scoring) : at::Tensor();
  });
  sub.train(false);
  datasets::BatchStream validation = scoring.validation->read(
      datasets::all_indices(*scoring.validation), static_cast<std::size_t>(scoring.batch), scoring.resolution);
  int64_t correct = 0, seen = 0;
  while (std::optional<datasets::Batch> batch = validation.next()) {
    const at::Tensor predicted = sub.forward(to_device(batch->images, scoring)).argmax(1).to(at::kCPU);
    correct += predicted.eq(batch->labels).sum().item<int64_t>();
    seen += batch->labels.size(0);
  }
  return seen == 0 ? 0.0 : 100.0 * static_cast<double>(correct) / static_cast<double>(seen);
}

}  // namespace nasctl::train::detail
