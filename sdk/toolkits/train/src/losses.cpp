#include "losses.hpp"

#include <ATen/ATen.h>

namespace nasctl::train::detail {

at::Tensor smoothed_cross_entropy(const at::Tensor& logits, const at::Tensor& labels, double smoothing) {
  const at::Tensor log_p = at::log_softmax(logits.to(at::kFloat), 1);
  const int64_t classes = logits.size(1);
  at::Tensor target = at::full_like(log_p, smoothing / static_cast<double>(classes));
  target.scatter_add_(1, labels.unsqueeze(1), at::full({labels.size(0), 1}, 1.0 - smoothing, log_p.options()));
  return -(target * log_p).sum(1).mean();
}

at::Tensor soft_cross_entropy(const at::Tensor& logits, const at::Tensor& teacher_probabilities) {
  return -(teacher_probabilities * at::log_softmax(logits.to(at::kFloat), 1)).sum(1).mean();
}

}  // namespace nasctl::train::detail
