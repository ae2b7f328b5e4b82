// vit-base: configuration and lowering of DyNAS-T's vit_base_imagenet.
#include <string>

#include "encoder_space.hpp"

namespace nasctl::spaces::bert_vit {

std::vector<ConfigKey> VitBase::config_keys() {
  return {
      ConfigKey::integer("image_size", 224,
                         "Input image side in pixels, a multiple of the 16-pixel patch; the learned position table "
                         "has (image_size/16)^2 + 1 rows, so parameters change with it")
          .at_least(16),
      ConfigKey::integer("classes", 1000, "Outputs of the classification head (ImageNet: 1000)").at_least(1),
  };
}

VitBase::VitBase(const PluginContext& context)
    : EncoderSpace({"vit-base", "vit_intermediate_sizes", {10, 11, 12}}) {
  const PluginConfig& config = context.config;
  image_size_ = config.get_int("image_size");
  classes_ = config.get_int("classes");
  if (image_size_ < kPatch || image_size_ % kPatch)
    config.fail("image_size", "is " + std::to_string(image_size_) + "; fix: give a multiple of 16 (the patch size)");
  if (classes_ < 1) config.fail("classes", "is " + std::to_string(classes_) + "; fix: give at least 1");
}

NetworkSpec VitBase::lower(const Architecture& arch) const {
  check(arch);
  NetworkBuilder b("vit-base", TensorShape{3, image_size_, image_size_});
  b.patch_embedding(kWidth, kPatch);
  b.class_token();
  int x = b.position_embedding(tokens(), 1);
  for (int l = 0; l < depth(arch); ++l) {
    b.set_current(x);
    x = b.add(x, attention(b, b.layer_norm(), heads(arch, l)));
    b.set_current(x);
    x = b.add(x, feed_forward(b, b.layer_norm(), intermediate(arch, l)));
  }
  b.set_current(x);
  b.layer_norm();
  b.token_slice(0, 1);  // the class token
  b.linear(classes_, true);
  return std::move(b).finish();
}

}  // namespace nasctl::spaces::bert_vit
