#include "batch_norm_folding.hpp"

#include <ATen/ATen.h>

namespace nasctl::model_export {

FoldedConv fold_batch_norm(const libtorch::LayerTensors& t, double eps) {
  // In double: the folded float32 weights then differ from the exact fold by
  // one rounding, not by the rounding of every intermediate step.
  const at::Tensor scale = t.bn_weight.to(at::kDouble) * at::rsqrt(t.bn_var.to(at::kDouble) + eps);
  const at::Tensor bias = t.bias.defined() ? t.bias.to(at::kDouble) : at::zeros_like(scale);
  FoldedConv folded;
  folded.weight = (t.weight.to(at::kDouble) * scale.reshape({-1, 1, 1, 1})).to(at::kFloat);
  folded.bias = ((bias - t.bn_mean.to(at::kDouble)) * scale + t.bn_bias.to(at::kDouble)).to(at::kFloat);
  return folded;
}

}  // namespace nasctl::model_export
