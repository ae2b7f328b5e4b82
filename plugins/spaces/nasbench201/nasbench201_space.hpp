// The NAS-Bench-201 search space (Dong & Yang, ICLR 2020): one cell of 4
// nodes and 6 edges, each edge one of none / skip_connect / nor_conv_1x1 /
// nor_conv_3x3 / avg_pool_3x3 (5^6 = 15,625 architectures), repeated in the
// benchmark's CIFAR macro skeleton: 3x3 stem convolution to C channels + BN;
// three stages of N cells at C, 2C, 4C channels joined by two ResNet basic
// blocks of stride 2; BN + ReLU, global average pool, linear classifier.
// lower() prunes `none` edges and every node they cut off (cell.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cell.hpp"
#include "nasctl/config.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/size_extremes.hpp"

namespace nasctl::spaces::nasbench201 {

class NasBench201 : public SearchSpace, public LayerEnumerable, public SizeExtremes {
 public:
  static constexpr int kStages = 3;
  static constexpr int kArchitectures = 15625;  // 5^6

  explicit NasBench201(const PluginContext& context);

  // classes, input_size, channels, cells_per_stage, input_channels.
  static std::vector<ConfigKey> config_keys();

  // One variable per edge, named "1<-0", "2<-0", "2<-1", "3<-0", "3<-1",
  // "3<-2" (target <- source), labels the op names.
  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override;

  // Architectures whose pruned cells are the same layers map to the one with
  // the smallest choice vector (lexicographically): ops on dead edges become
  // `none`, and cells that differ only in how a skip path is routed merge.
  // Cells whose output is cut off (zero) all map to the all-`none` cell;
  // they are never merged with cells that pass their input unchanged, whose
  // NetworkSpec is the same but whose function is not (see lower()).
  Architecture canonicalize(const Architecture& arch) const override;
  // One-hot per edge of the canonical architecture: dead edges read `none`.
  std::vector<double> encode(const Architecture& arch) const override;

  // NAS-Bench-201's string "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|" of arch as
  // given (parse(to_string(a)) == canonicalize(a), as SearchSpace promises).
  std::string to_string(const Architecture& arch) const override;
  // NAS-Bench-201's string (each node's edges in any order, every source
  // once) or the generic "1<-0=nor_conv_3x3;2<-0=none;...".
  Architecture parse(std::string_view text) const override;

  // LayerEnumerable: the layers of every distinct network, by brute force
  // over the canonical classes (a few thousand lowerings, well under a second).
  std::vector<Layer> distinct_layers() const override;

  // SizeExtremes. Largest: nor_conv_3x3 on every edge (every edge live at
  // its most expensive op). Smallest: a cell that passes its input through
  // (skip_connect 3<-0, the rest none): the skeleton alone, no cell layer.
  // The all-`none` cell costs the same but its output is zero (a network
  // whose prediction ignores its input), so it is not the one named.
  Architecture smallest() const override;
  Architecture largest() const override;
  // The number of canonicalize() classes.
  std::string distinct_networks() const override;

  static CellOps cell_ops(const Architecture& arch);

  int64_t classes() const { return classes_; }
  int64_t input_size() const { return input_size_; }
  int64_t channels() const { return channels_; }
  int64_t cells_per_stage() const { return cells_per_stage_; }
  int64_t input_channels() const { return input_channels_; }

 private:
  [[noreturn]] void fail(std::string_view text, const std::string& what) const;
  Architecture parse_cell_string(std::string_view text) const;

  int64_t classes_ = 10;
  int64_t input_size_ = 32;
  int64_t channels_ = 16;
  int64_t cells_per_stage_ = 5;
  int64_t input_channels_ = 3;
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::spaces::nasbench201
