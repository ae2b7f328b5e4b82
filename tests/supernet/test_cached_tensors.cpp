// SubNetwork::cache_tensors: eval-mode passes and re-calibration read
// tensors cut once instead of on every pass (the GPU evaluation speed-up,
// bench/supernet), and compute what the uncached sub-network computes. On
// the committed once-for-all fixture (w0.35, 10 classes), on the CPU.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <string>
#include <vector>

#include "nasctl/supernet/super_network.hpp"
#include "supernet_support.hpp"

using namespace nasctl;

namespace {

// The fixture's sub-networks with elastic kernels, widths and depths.
std::vector<std::string> fixture_architectures(const test::OfaFixture& f, std::size_t count) {
  std::vector<std::string> out;
  for (const auto& case_ : f.expected.at("subnets")) {
    if (out.size() == count) break;
    out.push_back(case_.at("arch").get<std::string>());
  }
  return out;
}

}  // namespace

TEST_CASE("a sub-network with cached tensors computes what it computes without them") {
  c10::InferenceMode guard;
  const test::OfaFixture f = test::load_fixture(test::fixture_dir());
  const auto space = test::ofa_space(f.width(), f.classes());
  const supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(*space, f.checkpoint());
  for (const std::string& text : fixture_architectures(f, 6)) {
    CAPTURE(text);
    supernet::SubNetwork sub = net.activate(space->parse(text));
    const at::Tensor x = test::crop(f.images, sub.spec().input.height);
    const at::Tensor plain = sub.forward(x);
    CHECK_FALSE(sub.has_cached_tensors());
    CHECK(sub.cache_tensors() > 0);  // elastic kernels and cut channels are copies
    CHECK(sub.has_cached_tensors());
    CHECK(at::equal(sub.forward(x), plain));
    // Channels-last weights and input: other kernels, same numbers within
    // float rounding.
    sub.cache_tensors(/*channels_last=*/true);
    const at::Tensor last = sub.forward(x.contiguous(at::MemoryFormat::ChannelsLast));
    CHECK(test::max_abs_difference(last, plain) <= 1e-4);
    sub.drop_cached_tensors();
    CHECK_FALSE(sub.has_cached_tensors());
    CHECK(at::equal(sub.forward(x), plain));
  }
}

TEST_CASE("re-calibration with cached tensors gives the statistics and logits it gives without them") {
  c10::InferenceMode guard;
  const test::OfaFixture f = test::load_fixture(test::fixture_dir());
  const auto space = test::ofa_space(f.width(), f.classes());
  const supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(*space, f.checkpoint());
  for (const auto& case_ : f.expected.at("recalibrated")) {
    const std::string text = case_.at("arch").get<std::string>();
    CAPTURE(text);
    const Architecture arch = space->parse(text);
    supernet::SubNetwork plain = net.activate(arch), cached = net.activate(arch);
    // Cached before the re-calibration: its statistics must replace the
    // cached (super-network's) ones.
    cached.cache_tensors();
    const at::Tensor x = test::crop(f.images, plain.spec().input.height);
    for (supernet::SubNetwork* sub : {&plain, &cached}) {
      bool given = false;
      sub->recalibrate_batch_norm([&]() {
        if (given) return at::Tensor();
        given = true;
        return x;
      });
    }
    const supernet::StateDict a = plain.state_dict(), b = cached.state_dict();
    for (const std::string& name : a.names()) CHECK(at::equal(a.at(name), b.at(name)));
    const at::Tensor expected = plain.forward(x);
    CHECK(at::equal(cached.forward(x), expected));
  }
}

TEST_CASE("cached tensors are a snapshot: weights changed later reach the sub-network once the cache is dropped") {
  const test::OfaFixture f = test::load_fixture(test::fixture_dir());
  const auto space = test::ofa_space(f.width(), f.classes());
  const supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(*space, f.checkpoint());
  const std::string text = f.expected.at("subnets").at(0).at("arch").get<std::string>();
  supernet::SubNetwork sub = net.activate(space->parse(text));
  const at::Tensor x = test::crop(f.images, sub.spec().input.height);
  c10::NoGradGuard no_grad;
  const at::Tensor before = sub.forward(x);
  sub.cache_tensors();
  net.state_dict().at("classifier.linear.bias").add_(1.0);
  CHECK(at::equal(sub.forward(x), before));  // eval reads the snapshot
  sub.drop_cached_tensors();
  CHECK(at::allclose(sub.forward(x), before + 1.0, 1e-5, 1e-5));
  // Training-mode passes never read the cache: they compute what a fresh
  // sub-network computes with the shared weights.
  sub.cache_tensors();
  net.state_dict().at("classifier.linear.bias").add_(1.0);
  supernet::SubNetwork fresh = net.activate(space->parse(text));
  sub.train();
  fresh.train();
  CHECK(at::equal(sub.forward(x), fresh.forward(x)));
}
