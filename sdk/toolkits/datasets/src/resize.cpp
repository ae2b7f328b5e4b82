#include "nasctl/datasets/resize.hpp"

#include <ATen/ATen.h>

#include <stdexcept>
#include <string>

namespace nasctl::datasets {

at::Tensor resize_images(const at::Tensor& images, int side) {
  if (images.dim() != 4 || side < 1)
    throw std::invalid_argument("resize_images: a [N, C, H, W] batch and a side of at least 1, not " +
                                std::to_string(images.dim()) + " dimensions and " + std::to_string(side));
  if (images.size(2) == side && images.size(3) == side) return images;
  // align_corners = false and no scale factors: the pixel-centre mapping of
  // torchvision's Resize. The antialiased kernel widens its triangle filter
  // by the shrink factor, so a 28 -> 14 resize averages 2 x 2 neighbourhoods
  // instead of sampling every other pixel.
  return at::_upsample_bilinear2d_aa(images, {side, side}, /*align_corners=*/false);
}

}  // namespace nasctl::datasets
