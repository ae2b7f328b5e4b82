// Once-for-All's channel sorting (its re_organize_middle_weights): before a
// training phase that makes sub-networks narrower, the channels of each
// channel group of the super-network (WeightSharing::channel_groups(), e.g.
// a block's middle channels) are put in order of importance, so that the
// first channels, the ones every narrower sub-network's cut keeps, are the
// ones the wider networks rely on most. A channel's importance is the L1
// norm of the group's importance tensors along the group's dimension
// (Once-for-All: the projecting convolution's weights of that input
// channel). Moving a channel in every tensor dimension of its group at once
// leaves the largest network's function as it was.
//
// Widths that earlier training already taught (Once-for-All's
// expand_ratio_stage) are kept: channels are sorted only within the bands
// between consecutive kept widths, so a sub-network of a kept width keeps
// the channels it was trained with, in a new order it does not notice.
//
// LibTorch types are only declared here (StateDict).
#pragma once

#include <cstdint>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/supernet/state_dict.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::supernet {

// One group's new order: position i now holds the channel that was at
// order[i].
struct ChannelOrder {
  std::size_t group = 0;  // index into the groups it was computed for
  std::vector<int64_t> order;

  // Channels that moved (order[i] != i).
  int64_t moved() const;
};

// The width (channel count) each group has in the sub-network `arch`
// (spec = the space's lower(arch)), read from the layer tensor bound to the
// first of the group's axes the sub-network uses; 0 for a group it does not
// use (a block beyond its depth).
std::vector<int64_t> group_widths(const WeightSharing& sharing, const std::vector<ChannelGroup>& groups,
                                  const Architecture& arch, const NetworkSpec& spec);

// The order of importance of every group's channels in `tensors` (a
// super-network's state_dict()), most important first, within the bands that
// `kept[g]` (widths of group g to keep; any order, repeats and widths of 0 or
// the full count allowed; empty for none) leave; equal importances keep
// their present order. `kept` has one entry per group. Throws nasctl::Error
// naming the group when its declaration does not fit the tensors (a tensor
// that is missing, a dimension out of range, axes of unequal length): a
// space bug.
std::vector<ChannelOrder> importance_orders(const StateDict& tensors, const std::vector<ChannelGroup>& groups,
                                            const std::vector<std::vector<int64_t>>& kept);

// Reorders, in place, every group axis of the tensors `tensors` holds under
// the shared tensors' names: a super-network's state_dict() (the held
// tensors themselves) or an optimiser's buffers; a named tensor that
// `tensors` lacks is skipped (an optimiser buffer no step has made yet).
// No gradient is recorded.
void apply_orders(const StateDict& tensors, const std::vector<ChannelGroup>& groups,
                  const std::vector<ChannelOrder>& orders);

}  // namespace nasctl::supernet
