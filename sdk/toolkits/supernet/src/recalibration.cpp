// Once-for-All's batch-norm re-calibration (set_running_statistics in
// ofa/imagenet_classification/elastic_nn/utils.py): weight-shared batch
// norms hold statistics of whatever network trained them last, so before a
// sub-network is evaluated its own statistics are measured on a fixed subset
// of training images.
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <vector>

#include "nasctl/error.hpp"
#include "sub_network_impl.hpp"

namespace nasctl::supernet {

namespace {

// Sums of sample-size weighted batch statistics of one batch norm.
struct StatisticSums {
  at::Tensor mean, var;
  int64_t samples = 0;
};

}  // namespace

int64_t SubNetwork::recalibrate_batch_norm(const BatchSource& next_batch) {
  c10::NoGradGuard no_grad;
  Impl& impl = *impl_;
  std::vector<StatisticSums> sums(impl.spec.layers.size());
  const detail::BatchNorm batch_norm = [&sums](int layer, const at::Tensor& x, const detail::LayerTensors& t) {
    // The exact batch mean and biased variance over batch, height and width,
    // summed in the order Once-for-All sums them (the same numbers, bit for
    // bit, where the kernels are the same).
    const at::Tensor mean4 = x.mean({0}, true).mean({2}, true).mean({3}, true);
    const at::Tensor centred = x - mean4;
    const at::Tensor mean = mean4.flatten();
    const at::Tensor var = (centred * centred).mean({0}, true).mean({2}, true).mean({3}, true).flatten();
    StatisticSums& s = sums[layer];
    const int64_t n = x.size(0);
    s.mean = s.mean.defined() ? s.mean + mean * n : mean * n;
    s.var = s.var.defined() ? s.var + var * n : var * n;
    s.samples += n;
    return at::batch_norm(x, detail::tensor_of(t, TensorRole::BatchNormScale),
                          detail::tensor_of(t, TensorRole::BatchNormShift), mean, var, /*training=*/false,
                          /*momentum=*/0.0, detail::kBatchNormEps, /*cudnn_enabled=*/true);
  };
  int64_t images = 0;
  while (true) {
    const at::Tensor batch = next_batch();
    if (!batch.defined()) break;
    impl.check_input(batch);
    detail::run_network(
        impl.spec, impl.last_use, [&impl](int layer) { return impl.tensors_for_eval(layer); }, batch_norm, batch);
    images += batch.size(0);
  }
  if (images == 0)
    throw Error("sub-network '" + impl.spec.name +
                "': batch-norm re-calibration got no images; fix: give at least one batch of training images");
  // Only now replace the statistics: a failing batch source leaves the
  // sub-network as it was.
  for (std::size_t layer = 0; layer < sums.size(); ++layer) {
    const StatisticSums& s = sums[layer];
    if (s.samples == 0) continue;
    impl.own_mean[layer] = s.mean / static_cast<double>(s.samples);
    impl.own_var[layer] = s.var / static_cast<double>(s.samples);
  }
  return images;
}

}  // namespace nasctl::supernet
