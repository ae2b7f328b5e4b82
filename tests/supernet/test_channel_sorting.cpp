// Channel sorting (nasctl/supernet/channel_sorting.hpp) on the OFA
// MobileNetV3 fixture checkpoint: the orders equal the ones once-for-all's
// own re_organize_middle_weights gives (tests/fixtures/ofa/channel_order.json,
// made by tests/fixtures/make_channel_orders.py), the largest network computes
// what it computed before, kept widths are bands no channel crosses, and a
// group that does not fit the tensors is a one-line space bug.
#include "torch_doctest.hpp"  // first: LibTorch's CHECK must not replace doctest's

#include <ATen/ATen.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nasctl/error.hpp"
#include "nasctl/supernet/channel_sorting.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "supernet_support.hpp"

using namespace nasctl;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

struct Fixture {
  std::unique_ptr<OfaMobileNetV3> space = test::ofa_space(0.35, 10);
  supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(
      *space, test::fixture_dir() + "/ofa_mbv3_d234_e346_k357_w035_c10.pth");
  std::vector<ChannelGroup> groups = space->channel_groups();
};

// Every expand ratio at `e` (choice index), every other variable at its
// largest, at the largest resolution.
Architecture every_expand(const OfaMobileNetV3& space, int e) {
  Architecture arch(OfaMobileNetV3::kVariables, 2);
  for (int i = 0; i < OfaMobileNetV3::kSlots; ++i) arch[OfaMobileNetV3::kEBase + i] = e;
  arch[OfaMobileNetV3::kRIndex] = static_cast<int>(space.resolutions().size()) - 1;
  return arch;
}

std::vector<int64_t> widths_at(const Fixture& f, int e) {
  const Architecture arch = every_expand(*f.space, e);
  return supernet::group_widths(*f.space, f.groups, arch, f.space->lower(arch));
}

bool is_middle(const ChannelGroup& g) { return g.name.find("middle") != std::string::npos; }

// Each channel's importance as the group declares it, from `tensors`.
std::vector<double> importance_of(const supernet::StateDict& tensors, const ChannelGroup& g) {
  const ChannelAxis& axis = g.importance.at(0);
  const at::Tensor t = tensors.at(axis.tensor).to(at::kDouble).abs();
  std::vector<int64_t> others;
  for (int64_t d = 0; d < t.dim(); ++d)
    if (d != axis.dim) others.push_back(d);
  const at::Tensor sums = t.sum(others).contiguous();
  return std::vector<double>(sums.data_ptr<double>(), sums.data_ptr<double>() + sums.numel());
}

at::Tensor logits(const supernet::SuperNetwork& net, const Architecture& arch, const at::Tensor& images) {
  c10::InferenceMode guard;
  supernet::SubNetwork sub = net.activate(arch);
  return sub.forward(images.narrow(2, 0, sub.spec().input.height).narrow(3, 0, sub.spec().input.width)).clone();
}

nlohmann::json once_for_all_orders() {
  std::ifstream in(test::fixture_dir() + "/channel_order.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("every elastic block declares its middle channels and, with squeeze-excite, its hidden ones") {
  const Fixture f;
  // 20 blocks; squeeze-excite in stages 2, 4 and 5 (12 blocks).
  REQUIRE(f.groups.size() == 32);
  CHECK(std::count_if(f.groups.begin(), f.groups.end(), is_middle) == 20);
  const std::vector<int64_t> largest = widths_at(f, 2), narrow = widths_at(f, 0);
  const supernet::StateDict held = f.net.state_dict();
  for (std::size_t g = 0; g < f.groups.size(); ++g) {
    CAPTURE(f.groups[g].name);
    const ChannelAxis& first = f.groups[g].axes.front();
    CHECK(largest[g] == held.at(first.tensor).size(first.dim));
    CHECK(narrow[g] > 0);
    CHECK(narrow[g] < largest[g]);
  }
  // Depth 2 everywhere: the third and fourth blocks of each stage use no group.
  Architecture shallow = every_expand(*f.space, 2);
  for (int s = 0; s < OfaMobileNetV3::kStages; ++s) shallow[OfaMobileNetV3::kDBase + s] = 0;
  const std::vector<int64_t> used = supernet::group_widths(*f.space, f.groups, shallow, f.space->lower(shallow));
  CHECK(std::count(used.begin(), used.end(), int64_t{0}) == 16);  // 10 middle, 6 squeeze-excite
}

TEST_CASE("the orders are once-for-all's re_organize_middle_weights of the fixture checkpoint") {
  const Fixture f;
  const nlohmann::json expected = once_for_all_orders().at("stages");
  const supernet::StateDict held = f.net.state_dict();
  std::set<std::string> names;
  for (const ChannelGroup& g : f.groups) names.insert(g.name);
  for (const auto& [name, order] : expected.at("0").items()) CHECK(names.count(name) == 1);
  CHECK(expected.at("0").size() == f.groups.size());

  SUBCASE("stage 0 (the first width phase): every group sorted whole") {
    const std::vector<std::vector<int64_t>> nothing_kept(f.groups.size());
    for (const supernet::ChannelOrder& o : supernet::importance_orders(held, f.groups, nothing_kept)) {
      CAPTURE(f.groups[o.group].name);
      CHECK(o.order == expected.at("0").at(f.groups[o.group].name).get<std::vector<int64_t>>());
      CHECK(o.moved() > 0);
    }
  }
  SUBCASE("stage 1: the expand-4 width kept; squeeze-excite sorted whole, as once-for-all sorts it") {
    const std::vector<int64_t> four = widths_at(f, 1);
    std::vector<std::vector<int64_t>> kept(f.groups.size());
    for (std::size_t g = 0; g < f.groups.size(); ++g)
      if (is_middle(f.groups[g])) kept[g] = {four[g]};
    for (const supernet::ChannelOrder& o : supernet::importance_orders(held, f.groups, kept)) {
      const ChannelGroup& g = f.groups[o.group];
      CAPTURE(g.name);
      const auto theirs = expected.at("1").at(g.name).get<std::vector<int64_t>>();
      if (!is_middle(g)) {
        CHECK(o.order == theirs);
        continue;
      }
      // In the first `kept` positions the orders agree exactly. From there
      // on once-for-all adds -2e5 (stage 1) to the importances in float32,
      // which rounds them to 1/64: the same channels, in an order of its
      // rounding.
      const auto kept_width = static_cast<std::ptrdiff_t>(four[o.group]);
      CHECK(std::equal(o.order.begin(), o.order.begin() + kept_width, theirs.begin()));
      CHECK(std::set<int64_t>(o.order.begin() + kept_width, o.order.end()) ==
            std::set<int64_t>(theirs.begin() + kept_width, theirs.end()));
    }
  }
}

TEST_CASE("sorting leaves the largest network's logits as they were and changes a narrower one's") {
  Fixture f;
  at::manual_seed(3);
  const at::Tensor images = at::randn({2, 3, 224, 224});
  const Architecture largest = every_expand(*f.space, 2);
  const Architecture narrow = every_expand(*f.space, 0);
  const at::Tensor largest_before = logits(f.net, largest, images), narrow_before = logits(f.net, narrow, images);

  const supernet::StateDict held = f.net.state_dict();
  const auto orders = supernet::importance_orders(held, f.groups, std::vector<std::vector<int64_t>>(f.groups.size()));
  supernet::apply_orders(held, f.groups, orders);

  const double scale = largest_before.abs().max().item<double>();
  CHECK(test::max_abs_difference(logits(f.net, largest, images), largest_before) <= 1e-4 * scale);
  // The narrow network now takes other channels: its logits move by far
  // more than rounding (the check can fail).
  CHECK(test::max_abs_difference(logits(f.net, narrow, images), narrow_before) > 1e-2 * scale);
  // Sorted: every group's importances fall along its channels.
  const supernet::StateDict after = f.net.state_dict();
  for (const ChannelGroup& g : f.groups) {
    const std::vector<double> importance = importance_of(after, g);
    CAPTURE(g.name);
    CHECK(std::is_sorted(importance.rbegin(), importance.rend()));
  }
}

TEST_CASE("kept widths are bands no channel crosses, each in order of importance") {
  Fixture f;
  const std::vector<int64_t> three = widths_at(f, 0), four = widths_at(f, 1);
  std::vector<std::vector<int64_t>> kept(f.groups.size());
  for (std::size_t g = 0; g < f.groups.size(); ++g) kept[g] = {four[g], three[g], three[g], 0};  // repeats, 0
  const supernet::StateDict held = f.net.state_dict();
  const std::vector<double> importance_before = importance_of(held, f.groups[0]);
  const auto orders = supernet::importance_orders(held, f.groups, kept);
  supernet::apply_orders(held, f.groups, orders);
  for (const supernet::ChannelOrder& o : orders) {
    CAPTURE(f.groups[o.group].name);
    const int64_t a = three[o.group], b = four[o.group];
    for (int64_t i = 0; i < static_cast<int64_t>(o.order.size()); ++i) {
      const int64_t from = o.order[static_cast<std::size_t>(i)];
      const int band = i < a ? 0 : i < b ? 1 : 2;
      CHECK(band == (from < a ? 0 : from < b ? 1 : 2));
    }
  }
  // The first group's bands, each sorted by the importances before.
  const supernet::ChannelOrder& first = orders.front();
  const std::vector<double> importance_after = importance_of(f.net.state_dict(), f.groups[0]);
  for (std::size_t i = 0; i < first.order.size(); ++i)
    CHECK(importance_after[i] == importance_before[static_cast<std::size_t>(first.order[i])]);
  const auto begin = importance_after.begin();
  const auto a = static_cast<std::ptrdiff_t>(three[0]), b = static_cast<std::ptrdiff_t>(four[0]);
  CHECK(std::is_sorted(std::make_reverse_iterator(begin + a), std::make_reverse_iterator(begin)));
  CHECK(std::is_sorted(std::make_reverse_iterator(begin + b), std::make_reverse_iterator(begin + a)));
  CHECK(std::is_sorted(importance_after.rbegin(), std::make_reverse_iterator(begin + b)));
  CHECK_FALSE(std::is_sorted(importance_after.rbegin(), importance_after.rend()));  // bands, not one sort
}

TEST_CASE("buffers kept under the tensors' names move with them, ones not there are skipped") {
  const Fixture f;
  const ChannelGroup& g = f.groups.front();
  const ChannelAxis& moved = g.axes.front();
  const at::Tensor original = f.net.state_dict().at(moved.tensor);
  supernet::StateDict buffers;  // as an optimiser's: one tensor only
  buffers.set(moved.tensor, original.clone());
  const std::vector<int64_t> order = [&] {
    std::vector<int64_t> o(static_cast<std::size_t>(original.size(moved.dim)));
    for (std::size_t i = 0; i < o.size(); ++i) o[i] = static_cast<int64_t>(o.size() - 1 - i);  // reversed
    return o;
  }();
  supernet::apply_orders(buffers, f.groups, {supernet::ChannelOrder{0, order}});
  CHECK(at::equal(buffers.at(moved.tensor), original.flip(moved.dim)));
  CHECK(at::equal(f.net.state_dict().at(moved.tensor), original));  // the network's own untouched
}

TEST_CASE("a channel group that does not fit the super-network's tensors is one line naming it") {
  const Fixture f;
  const supernet::StateDict held = f.net.state_dict();
  ChannelGroup bad = f.groups.front();
  SUBCASE("a tensor it does not hold") {
    bad.axes.push_back({"blocks.1.conv.no_such.weight", 0});
    CHECK_THROWS_WITH_AS(supernet::importance_orders(held, {bad}, {{}}),
                         doctest::Contains("channel group 'blocks.1.conv middle channels': it names "
                                           "'blocks.1.conv.no_such.weight'"),
                         Error);
  }
  SUBCASE("a dimension of another length") {
    bad.axes.push_back({"blocks.1.conv.point_linear.conv.conv.weight", 0});
    CHECK_THROWS_WITH_AS(supernet::importance_orders(held, {bad}, {{}}),
                         doctest::Contains("channels along dimension 0"), Error);
  }
  SUBCASE("a dimension the tensor lacks") {
    bad.importance = {{"blocks.1.conv.point_linear.conv.conv.weight", 4}};
    CHECK_THROWS_WITH_AS(supernet::importance_orders(held, {bad}, {{}}), doctest::Contains("dimension 4"), Error);
  }
}
