// Channel sorting at the start of a phase (Phase::sort_channels), as
// Once-for-All's progressive shrinking calls re_organize_middle_weights
// before each elastic-width phase: the super-network's channel groups put in
// order of importance (nasctl/supernet/channel_sorting.hpp), the optimiser's
// buffers moved with their channels, and the widths earlier phases trained
// kept as bands no channel leaves. No LibTorch here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nasctl/supernet/channel_sorting.hpp"
#include "nasctl/train/elastic.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::supernet {
class SuperNetwork;
}

namespace nasctl::train {

class Optimiser;

// For each group, the widths the sub-networks of phases[0 .. before) had:
// its width in each phase's largest and smallest sub-network and in the
// largest with one variable set to each of its allowed choices. In
// ofa-mobilenetv3 a group's width follows one variable (the block's expand
// ratio), so every width a phase trained is among these. In ofa-resnet50 it
// follows the expand ratio and the stage's width multiplier: the widths of
// both below their largest together are not among these, as Once-for-All,
// which keeps the expand ratios' widths at the largest multiplier only.
std::vector<std::vector<int64_t>> trained_widths(const ElasticSpace& elastic, const WeightSharing& sharing,
                                                 const std::vector<ChannelGroup>& groups,
                                                 const std::vector<PhaseChoices>& phases, std::size_t before);

// Puts every group of `net` in order of importance within the bands `kept`
// leaves and moves the optimiser's buffers with the channels; returns the
// orders applied.
std::vector<supernet::ChannelOrder> sort_channels(supernet::SuperNetwork& net, Optimiser& optimiser,
                                                  const std::vector<ChannelGroup>& groups,
                                                  const std::vector<std::vector<int64_t>>& kept);

}  // namespace nasctl::train
