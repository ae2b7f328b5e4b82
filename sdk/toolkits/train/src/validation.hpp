// The end-of-epoch score of one sub-network: its batch norms re-calibrated
// on a fixed subset of training images (Once-for-All's
// set_running_statistics, SubNetwork::recalibrate_batch_norm), then top-1 on
// the validation images in eval mode, as the `supernet` accuracy source
// measures it. Training-mode running statistics are a mixture of every
// sub-network trained and describe none of them, so they are not used.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "nasctl/architecture.hpp"

namespace nasctl::datasets {
class Dataset;
}

namespace nasctl::supernet {
class SuperNetwork;
}

namespace nasctl::train::detail {

struct Scoring {
  std::shared_ptr<const datasets::Dataset> calibration;  // the fixed subset of training images
  std::shared_ptr<const datasets::Dataset> validation;
  int resolution = 0;
  int64_t calibration_batch = 200;
  int64_t batch = 200;
  std::string device = "cpu";
  bool channels_last = false;
};

// Top-1 in percent.
double top1(const supernet::SuperNetwork& net, const Architecture& arch, const Scoring& scoring);

}  // namespace nasctl::train::detail
