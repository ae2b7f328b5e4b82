// Layer classes of a calibration: the kinds of layer whose time alone and
// time inside a network differ by different factors. Measured on the CPU
// VM (docs/results.md): a 1x1 convolution followed by an activation runs
// inside a network at another fraction of its lone time than one without,
// or than a depthwise convolution (oneDNN fuses and keeps its blocked
// layout between layers; a lone layer converts in and out), and one common
// scale for all layers leaves Kendall tau at 0.80 where scales per class
// reach 0.91.
//
// A class is the op, convolutions split into dense (k > 1), pointwise
// (k = 1) and depthwise (groups = input channels > 1), plus the fused
// activation for convolutions, linear layers and stand-alone activations:
// "pointwise+relu", "depthwise+hswish", "conv", "se", "add", ...
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "nasctl/network_spec.hpp"

namespace nasctl::lut {

inline constexpr std::size_t kLayerClasses = 57;

// The class of a layer, in [0, kLayerClasses). Cheap: no allocation.
std::size_t layer_class(const Layer& layer);

// "pointwise+relu", "se", ...: stable names, written into tables.
std::string layer_class_name(std::size_t layer_class);

// The class a name denotes; nullopt for an unknown name.
std::optional<std::size_t> layer_class_from_name(std::string_view name);

}  // namespace nasctl::lut
