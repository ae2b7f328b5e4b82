#include "nasctl/train/phase_sorting.hpp"

#include <algorithm>

#include "nasctl/search_space.hpp"
#include "nasctl/supernet/channel_sorting.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/train/optimiser.hpp"

namespace nasctl::train {

std::vector<std::vector<int64_t>> trained_widths(const ElasticSpace& elastic, const WeightSharing& sharing,
                                                 const std::vector<ChannelGroup>& groups,
                                                 const std::vector<PhaseChoices>& phases, std::size_t before) {
  std::vector<std::vector<int64_t>> kept(groups.size());
  const SearchSpace& space = elastic.space();
  auto add = [&](const Architecture& arch) {
    const std::vector<int64_t> widths = supernet::group_widths(sharing, groups, arch, space.lower(arch));
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (widths[g] > 0 && std::find(kept[g].begin(), kept[g].end(), widths[g]) == kept[g].end())
        kept[g].push_back(widths[g]);
  };
  for (std::size_t p = 0; p < before && p < phases.size(); ++p) {
    const PhaseChoices& choices = phases[p];
    const Architecture largest = elastic.largest(choices);
    add(largest);
    add(elastic.smallest(choices));
    for (std::size_t v = 0; v < choices.allowed.size(); ++v) {
      for (std::size_t c = 1; c < choices.allowed[v].size(); ++c) {  // [0] is the largest's own
        Architecture varied = largest;
        varied[v] = choices.allowed[v][c];
        add(space.canonicalize(varied));
      }
    }
  }
  return kept;
}

std::vector<supernet::ChannelOrder> sort_channels(supernet::SuperNetwork& net, Optimiser& optimiser,
                                                  const std::vector<ChannelGroup>& groups,
                                                  const std::vector<std::vector<int64_t>>& kept) {
  const supernet::StateDict held = net.state_dict();
  std::vector<supernet::ChannelOrder> orders = supernet::importance_orders(held, groups, kept);
  supernet::apply_orders(held, groups, orders);
  for (const supernet::StateDict& buffers : optimiser.buffers()) supernet::apply_orders(buffers, groups, orders);
  return orders;
}

}  // namespace nasctl::train
