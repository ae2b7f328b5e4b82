// The roofline arithmetic on hand-computed layers: which class a layer's work
// goes to, what it costs, compute- versus memory-bound, batch scaling, the
// two energy models, and what the plugin reports.
#include <doctest/doctest.h>

#include <string>

#include "device_profile.hpp"
#include "hw_test_support.hpp"
#include "layer_cost.hpp"
#include "roofline.hpp"

using namespace nasctl;
using namespace nasctl::hardware::roofline;

namespace {

// Round numbers: dense 1 GMAC/s, depthwise 0.5, linear 0.25, element-wise
// 1 G ops/s, memory 0.5 GB/s sustained, 10 us per layer, fp32.
const char* kProfile = R"(version = 1
device = "test device"
bytes_per_element = 4
layer_overhead_us = 10
[memory]
bandwidth_gbps = 1.0
efficiency = 0.5
[dense_conv]
peak_gmacs = 2.0
efficiency = 0.5
[depthwise_conv]
peak_gmacs = 1.0
efficiency = 0.5
[linear]
peak_gmacs = 0.5
efficiency = 0.5
[elementwise]
peak_gelements = 4.0
efficiency = 0.25
)";

DeviceProfile profile(const std::string& extra = "") { return parse_device_profile(std::string(kProfile) + extra, "test.toml"); }

// 8x16x16 -> conv 3x3, 16 channels, BN, ReLU.
NetworkSpec one_conv() {
  NetworkBuilder b("one-conv", {8, 16, 16});
  b.conv(16, 3, 1, 1, true, ActivationKind::ReLU);
  return std::move(b).finish();
}

}  // namespace

TEST_CASE("a dense convolution costs its MACs at the dense rate plus its fused activation, or its bytes at the bandwidth") {
  const NetworkSpec net = one_conv();
  const LayerWork w = layer_work(net, net.layers[0], 1, 4.0);
  CHECK(w.mac_class == OpClass::DenseConv);
  CHECK(w.macs == doctest::Approx(3 * 3 * 8 * 16 * 16 * 16));  // 294,912
  CHECK(w.element_ops == doctest::Approx(16 * 16 * 16));        // ReLU: one op per output element
  // input 2048 + output 4096 + weights 1152 + one bias per channel from the folded BN (16), x 4 bytes
  CHECK(w.bytes == doctest::Approx((2048 + 4096 + 1152 + 16) * 4.0));

  const LayerTime t = layer_time(profile(), w);
  CHECK(t.compute_s == doctest::Approx(294912e-9 + 4096e-9));
  CHECK(t.memory_s == doctest::Approx(29248 / 0.5e9));
  CHECK_FALSE(t.memory_bound());
  CHECK(t.total_s == doctest::Approx(299.008e-6 + 10e-6));
}

TEST_CASE("a layer whose bytes take longer than its arithmetic is priced by the memory term") {
  DeviceProfile p = profile();
  p.memory_peak_bytes_per_s = 0.05e9;  // 25 MB/s sustained: 29,248 bytes take 1.17 ms
  const NetworkSpec net = one_conv();
  const LayerTime t = layer_time(p, layer_work(net, net.layers[0], 1, 4.0));
  CHECK(t.memory_bound());
  CHECK(t.total_s == doctest::Approx(29248 / 0.025e9 + 10e-6));
}

TEST_CASE("depthwise, linear, squeeze-excite and element-wise layers go to their own classes") {
  NetworkBuilder b("mixed", {16, 8, 8});
  const int dw = b.depthwise(3, 1, true, ActivationKind::HardSwish);
  const int se = b.squeeze_excite(8);
  const int add = b.add(dw, se);
  const int pool = b.global_avg_pool();
  const int fc = b.linear(10, true);
  const NetworkSpec net = std::move(b).finish();

  const LayerWork wdw = layer_work(net, net.layers[dw], 1, 1.0);
  CHECK(wdw.mac_class == OpClass::DepthwiseConv);
  CHECK(wdw.macs == doctest::Approx(9 * 16 * 8 * 8));
  CHECK(wdw.element_ops == doctest::Approx(5 * 16 * 8 * 8));  // h-swish: 5 ops per element

  const LayerWork wse = layer_work(net, net.layers[se], 1, 1.0);
  CHECK(wse.mac_class == OpClass::Linear);
  CHECK(wse.macs == doctest::Approx(16 * 8 + 8 * 16));
  // pool + scale over 1024 elements, ReLU on 8, h-sigmoid (4 ops) on 16
  CHECK(wse.element_ops == doctest::Approx(2 * 1024 + 8 + 4 * 16));

  const LayerWork wadd = layer_work(net, net.layers[add], 1, 1.0);
  CHECK(wadd.macs == 0);
  CHECK(wadd.element_ops == doctest::Approx(1024));
  CHECK(wadd.bytes == doctest::Approx(3 * 1024));  // two inputs read, one output written

  CHECK(layer_work(net, net.layers[pool], 1, 1.0).element_ops == doctest::Approx(1024));
  const LayerWork wfc = layer_work(net, net.layers[fc], 1, 1.0);
  CHECK(wfc.mac_class == OpClass::Linear);
  CHECK(wfc.macs == doctest::Approx(160));

  const DeviceProfile p = profile();
  const LayerTime tdw = layer_time(p, wdw);
  CHECK(tdw.compute_s == doctest::Approx(9216 / 0.5e9 + 5120 / 1e9));
  const LayerTime tfc = layer_time(p, wfc);
  CHECK(tfc.compute_s == doctest::Approx(160 / 0.25e9));
}

TEST_CASE("the network latency is the sum of its layers, and a batch multiplies activations but not weights") {
  const DeviceProfile p = profile();
  NetworkBuilder b("two", {8, 16, 16});
  b.conv(16, 3, 1, 1, true, ActivationKind::ReLU);
  b.conv(8, 1, 1, 1, true, ActivationKind::None);
  const NetworkSpec net = std::move(b).finish();
  double sum = 0;
  for (const Layer& layer : net.layers) sum += layer_time(p, layer_work(net, layer, 1, 4.0)).total_s;
  CHECK(estimate_network(p, net, 1).latency_s == doctest::Approx(sum));

  const LayerWork one = layer_work(net, net.layers[0], 1, 4.0);
  const LayerWork four = layer_work(net, net.layers[0], 4, 4.0);
  CHECK(four.macs == doctest::Approx(4 * one.macs));
  const double weight_bytes = (1152 + 16) * 4.0;
  CHECK(four.bytes == doctest::Approx(4 * (one.bytes - weight_bytes) + weight_bytes));
}

TEST_CASE("energy is power times latency, or per-operation energies plus static power") {
  const NetworkSpec net = one_conv();
  const DeviceProfile none = profile();
  CHECK_FALSE(none.has_energy());
  CHECK(estimate_network(none, net, 1).energy_j == 0);

  const DeviceProfile power = profile("[energy]\naverage_power_w = 2.0\n");
  const NetworkEstimate ep = estimate_network(power, net, 1);
  CHECK(ep.energy_j == doctest::Approx(2.0 * ep.latency_s));

  const DeviceProfile per_op = profile("[energy]\npj_per_mac = 1.0\npj_per_byte = 10.0\npj_per_element = 0.5\nstatic_power_w = 0.1\n");
  const NetworkEstimate eo = estimate_network(per_op, net, 1);
  const double dynamic = (294912 * 1.0 + 4096 * 0.5 + 29248 * 10.0) * 1e-12;
  CHECK(eo.energy_j == doctest::Approx(dynamic + 0.1 * eo.latency_s));
}

TEST_CASE("the roofline plugin reports latency_ms, and energy_mj only when its profile has an energy model") {
  test::HwScratch dir;
  dir.write("plain.toml", kProfile);
  dir.write("powered.toml", std::string(kProfile) + "[energy]\naverage_power_w = 1.5\n");
  const NetworkSpec net = one_conv();
  {
    const PluginConfig config = test::hw_config(RooflineModel::config_keys(), {{"profile", std::string("plain.toml")}}, dir.path());
    RooflineModel model(PluginContext{config, "dev", 42});
    REQUIRE(model.metrics().size() == 1);
    CHECK(model.metrics()[0].name == "latency_ms");
    const Metrics m = model.evaluate(net);
    CHECK(m.count("energy_mj") == 0);
    CHECK(m.at("latency_ms") == doctest::Approx(309.008e-3));
    CHECK(model.conditions().at("device") == "test device");
  }
  {
    const PluginConfig config =
        test::hw_config(RooflineModel::config_keys(), {{"profile", std::string("powered.toml")}, {"batch", int64_t{2}}}, dir.path());
    RooflineModel model(PluginContext{config, "dev", 42});
    REQUIRE(model.metrics().size() == 2);
    const Metrics m = model.evaluate(net);
    CHECK(m.at("energy_mj") == doctest::Approx(1.5 * m.at("latency_ms")));  // W x ms = mJ
    CHECK(model.conditions().at("batch") == "2");
  }
}
