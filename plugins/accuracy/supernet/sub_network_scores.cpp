#include "sub_network_scores.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <optional>

#include "nasctl/datasets/dataset.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/bf16_autocast.hpp"
#include "nasctl/torch/channels_last.hpp"

namespace nasctl::accuracy::supernet {

namespace {

at::Tensor to_input(const at::Tensor& images, const PassOptions& options) {
  at::Tensor x = images.to(at::Device(options.device), /*non_blocking=*/false);
  if (options.channels_last) x = libtorch::channels_last(x);
  return x;
}

}  // namespace

Scores score_sub_network(nasctl::supernet::SubNetwork& sub, const datasets::Dataset& calibration,
                         const datasets::Dataset& validation, int resolution, const PassOptions& options) {
  c10::NoGradGuard no_grad;
  Scores scores;
  // Re-calibration in float32 even with bf16: the statistics are averages
  // over thousands of images, and OFA measures them in float32.
  {
    datasets::BatchStream stream =
        calibration.read(datasets::all_indices(calibration), options.calibration_batch, resolution);
    scores.calibration_images = sub.recalibrate_batch_norm([&]() -> at::Tensor {
      std::optional<datasets::Batch> batch = stream.next();
      if (!batch) return {};
      return to_input(batch->images, options);
    });
  }
  sub.train(false);
  datasets::BatchStream stream = validation.read(datasets::all_indices(validation), options.batch_size, resolution);
  while (std::optional<datasets::Batch> batch = stream.next()) {
    at::Tensor logits;
    {
      const libtorch::Bf16Autocast autocast(options.bf16);
      logits = sub.forward(to_input(batch->images, options));
    }
    logits = logits.to(at::kFloat);
    const at::Tensor labels = batch->labels.to(logits.device());
    const int64_t k = std::min<int64_t>(5, logits.size(1));
    const at::Tensor top = std::get<1>(logits.topk(k, /*dim=*/1, /*largest=*/true, /*sorted=*/true));
    const at::Tensor hits = top.eq(labels.unsqueeze(1));
    scores.top1 += logits.argmax(1).eq(labels).sum().item<int64_t>();
    scores.top5 += hits.any(1).sum().item<int64_t>();
    const at::Tensor log_p = at::log_softmax(logits, 1).gather(1, labels.unsqueeze(1));
    scores.loss_sum -= log_p.sum().to(at::kDouble).item<double>();
    scores.images += logits.size(0);
  }
  return scores;
}

}  // namespace nasctl::accuracy::supernet
