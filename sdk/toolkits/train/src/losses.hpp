// The two losses of super-network training, as Once-for-All writes them:
// cross-entropy against label-smoothed one-hot targets (1 - e on the label,
// e / classes spread over all classes), and the soft cross-entropy of
// in-place distillation against the largest sub-network's detached softmax
// (KL divergence up to the teacher's entropy, which has no gradient).
#pragma once

#include <ATen/core/Tensor.h>

namespace nasctl::train::detail {

// logits [n, classes], labels int64 [n]; the mean over the batch.
at::Tensor smoothed_cross_entropy(const at::Tensor& logits, const at::Tensor& labels, double smoothing);
// teacher_probabilities: [n, classes], rows summing to 1, no gradient.
at::Tensor soft_cross_entropy(const at::Tensor& logits, const at::Tensor& teacher_probabilities);

}  // namespace nasctl::train::detail
