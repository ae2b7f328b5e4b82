// One sub-network measured on images: OFA's batch-norm re-calibration on the
// calibration subset, then top-1, top-5 and cross-entropy on the validation
// images, counted exactly (integers) so that the same images give the same
// numbers whatever the batch boundaries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nasctl::datasets {
class Dataset;
}
namespace nasctl::supernet {
class SubNetwork;
}

namespace nasctl::accuracy::supernet {

struct PassOptions {
  std::string device = "cpu";   // where the super-network's tensors are
  bool channels_last = false;   // inputs in channels-last order
  bool bf16 = false;            // validation passes under CUDA autocast to bfloat16
  std::size_t calibration_batch = 200;
  std::size_t batch_size = 200;
};

struct Scores {
  std::int64_t calibration_images = 0;
  std::int64_t images = 0;
  std::int64_t top1 = 0;  // images whose label is the largest logit
  std::int64_t top5 = 0;  // images whose label is among the 5 largest (all of them below 5 classes)
  double loss_sum = 0.0;  // cross-entropy summed over the images (nats)

  double top1_percent() const { return images ? 100.0 * static_cast<double>(top1) / static_cast<double>(images) : 0.0; }
  double top5_percent() const { return images ? 100.0 * static_cast<double>(top5) / static_cast<double>(images) : 0.0; }
  double loss() const { return images ? loss_sum / static_cast<double>(images) : 0.0; }
};

// Re-calibrates `sub` on every image of `calibration` (in its order, in
// batches of options.calibration_batch), then scores it on every image of
// `validation`, both read at `resolution`. A dataset error (an unreadable
// image) propagates as the dataset's one-line nasctl::DataError.
Scores score_sub_network(nasctl::supernet::SubNetwork& sub, const datasets::Dataset& calibration,
                         const datasets::Dataset& validation, int resolution, const PassOptions& options);

}  // namespace nasctl::accuracy::supernet
