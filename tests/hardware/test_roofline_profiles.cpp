// Device profiles: every malformed file gives a one-line error naming the
// file, the place and the key; the shipped profiles load, give positive
// latencies on OFA MobileNetV3 sub-networks, and reproduce the published
// figures they were derived from.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "device_profile.hpp"
#include "hw_test_support.hpp"
#include "layer_cost.hpp"
#include "mobilenet_v3.hpp"
#include "nasctl/error.hpp"
#include "ofa_mobilenetv3.hpp"
#include "roofline.hpp"

using namespace nasctl;
using namespace nasctl::hardware::roofline;

namespace {

const std::string kHead = "version = 1\ndevice = \"d\"\nbytes_per_element = 1\nlayer_overhead_us = 0\n";
const std::string kMemory = "[memory]\nbandwidth_gbps = 10\nefficiency = 0.5\n";
const std::string kDense = "[dense_conv]\npeak_gmacs = 100\nefficiency = 0.5\n";
const std::string kDepthwise = "[depthwise_conv]\npeak_gmacs = 100\nefficiency = 0.5\n";
const std::string kLinear = "[linear]\npeak_gmacs = 100\nefficiency = 0.5\n";
const std::string kElementwise = "[elementwise]\npeak_gelements = 100\nefficiency = 0.5\n";
const std::string kValid = kHead + kMemory + kDense + kDepthwise + kLinear + kElementwise;

std::string error_of(const std::string& text) {
  try {
    parse_device_profile(text, "dev.toml");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

void check_one_line(const std::string& message) {
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.find("; fix: ") != std::string::npos);
}

std::unique_ptr<spaces::ofa_mobilenetv3::OfaMobileNetV3> ofa_space() {
  const PluginConfig config = test::hw_config(spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys(), {});
  return std::make_unique<spaces::ofa_mobilenetv3::OfaMobileNetV3>(PluginContext{config, "space", 42});
}

// OFA's smallest (every choice first) and largest (every choice last, 224 px) sub-networks.
NetworkSpec ofa_extreme(const spaces::ofa_mobilenetv3::OfaMobileNetV3& space, bool largest) {
  Architecture arch(space.variables().size(), 0);
  if (largest) {
    for (std::size_t i = 0; i + 1 < arch.size(); ++i) arch[i] = space.variables()[i].cardinality() - 1;
  }
  return space.lower(arch);
}

double latency_ms(const DeviceProfile& p, const NetworkSpec& n) { return estimate_network(p, n, 1).latency_s * 1e3; }

DeviceProfile shipped(const std::string& name) {
  return load_device_profile(shipped_profiles_dir() + "/" + name + ".toml");
}

}  // namespace

TEST_CASE("a complete profile parses into per-class sustained rates") {
  const DeviceProfile p = parse_device_profile(kValid, "dev.toml");
  CHECK(p.rate(OpClass::DenseConv).sustained_per_s() == doctest::Approx(50e9));
  CHECK(p.memory_bytes_per_s() == doctest::Approx(5e9));
  CHECK(p.bytes_per_element == 1);
  CHECK_FALSE(p.has_energy());
}

TEST_CASE("a profile missing a required op class names the file and the missing table") {
  const std::string message = error_of(kHead + kMemory + kDense + kLinear + kElementwise);
  CHECK(message == "dev.toml: key 'depthwise_conv': missing (a required op class); fix: add a [depthwise_conv] table; "
                   "see the profile format in docs/hardware.md (## roofline) or data/devices/*.toml");
}

TEST_CASE("a non-numeric value is reported at its line and column with its key") {
  std::string text = kValid;
  text.replace(text.find("peak_gmacs = 100"), 16, "peak_gmacs = \"fast\"");
  const std::string message = error_of(text);
  CHECK(message.rfind("dev.toml:9:14: key 'dense_conv.peak_gmacs': must be a number, got string \"fast\"", 0) == 0);
  check_one_line(message);
}

TEST_CASE("negative rates, efficiencies above one and negative overheads are refused") {
  std::string negative = kValid;
  negative.replace(negative.find("bandwidth_gbps = 10"), 19, "bandwidth_gbps = -3");
  CHECK(error_of(negative).rfind("dev.toml:6:18: key 'memory.bandwidth_gbps': must be > 0, got -3", 0) == 0);

  std::string share = kValid;
  share.replace(share.find("efficiency = 0.5\n[depthwise"), 16, "efficiency = 1.5");
  CHECK(error_of(share).find("key 'dense_conv.efficiency': must be in (0, 1], got 1.5") != std::string::npos);

  std::string overhead = kValid;
  overhead.replace(overhead.find("layer_overhead_us = 0"), 21, "layer_overhead_us = -1");
  const std::string message = error_of(overhead);
  CHECK(message.find("dev.toml:4:") == 0);
  CHECK(message.find("key 'layer_overhead_us': must be >= 0") != std::string::npos);
  check_one_line(message);
}

TEST_CASE("a missing key inside an op class names the class table and the key") {
  const std::string message = error_of(kHead + kMemory + "[dense_conv]\nefficiency = 0.5\n" + kDepthwise + kLinear + kElementwise);
  CHECK(message.find("dev.toml:8:1: key 'dense_conv.peak_gmacs': missing; fix: add peak_gmacs") == 0);
}

TEST_CASE("a misspelt key is refused with the keys that are allowed") {
  std::string text = kValid;
  text.replace(text.find("bandwidth_gbps"), 14, "bandwith_gbps");
  const std::string message = error_of(text);
  CHECK(message.find("key 'memory.bandwith_gbps': unknown key; fix: use one of bandwidth_gbps, efficiency") != std::string::npos);
}

TEST_CASE("TOML syntax errors, wrong versions and double energy models are one-line errors") {
  const std::string syntax = error_of(kHead + "[memory\n");
  CHECK(syntax.rfind("dev.toml:5:", 0) == 0);
  CHECK(syntax.find("TOML syntax") != std::string::npos);
  check_one_line(syntax);

  std::string v2 = kValid;
  v2.replace(0, 11, "version = 2");
  CHECK(error_of(v2).find("dev.toml:1:11: key 'version': profile format version is not 1") == 0);

  const std::string both = error_of(kValid + "[energy]\naverage_power_w = 1\npj_per_mac = 1\npj_per_byte = 1\n");
  CHECK(both.find("key 'energy': gives average_power_w and per-operation energies at once") != std::string::npos);

  const std::string half = error_of(kValid + "[energy]\npj_per_mac = 1\n");
  CHECK(half.find("key 'energy.pj_per_byte': missing") != std::string::npos);
}

TEST_CASE("an unreadable profile file is a clear error") {
  CHECK_THROWS_WITH_AS(load_device_profile("/nonexistent/dev.toml"),
                       doctest::Contains("/nonexistent/dev.toml: cannot read the device profile"), DataError);
}

TEST_CASE("the plugin needs exactly one of profile and device, and names the shipped devices") {
  auto construct = [](const std::map<std::string, ConfigValue>& given) {
    const PluginConfig config = test::hw_config(RooflineModel::config_keys(), given);
    RooflineModel model(PluginContext{config, "dev", 42});
  };
  CHECK_THROWS_WITH_AS(construct({}), doctest::Contains("key 'hardware[0].profile': is missing; fix: set profile"), ConfigError);
  CHECK_THROWS_WITH_AS(construct({{"device", std::string("tpu-v9")}}),
                       doctest::Contains("'tpu-v9' is not a shipped profile"), ConfigError);
  CHECK_THROWS_WITH_AS(construct({{"device", std::string("tpu-v9")}}), doctest::Contains("hexagon-685"), ConfigError);
  CHECK_THROWS_WITH_AS(construct({{"device", std::string("myriad-x")}, {"profile", std::string("x.toml")}}),
                       doctest::Contains("is given together with 'profile'"), ConfigError);
}

TEST_CASE("nasctl ships the four device profiles of the issue") {
  const std::vector<std::string> names = shipped_profile_names();
  for (const char* name : {"hexagon-685", "myriad-x", "snapdragon-845-cpu", "h100-sxm"})
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
}

TEST_CASE("every shipped profile loads and gives positive latencies that grow from the smallest to the largest OFA network") {
  const auto space = ofa_space();
  const NetworkSpec small = ofa_extreme(*space, false), large = ofa_extreme(*space, true);
  for (const std::string& name : shipped_profile_names()) {
    CAPTURE(name);
    const DeviceProfile p = shipped(name);
    CHECK(p.device.find("ESTIMATE") != std::string::npos);
    const double s = latency_ms(p, small), l = latency_ms(p, large);
    CHECK(s > 0);
    CHECK(l > s);
    const PluginConfig config = test::hw_config(RooflineModel::config_keys(), {{"device", name}});
    RooflineModel model(PluginContext{config, name, 42});
    CHECK(model.evaluate(large).at("latency_ms") == doctest::Approx(l));
  }
}

TEST_CASE("the Myriad X profile gives energy, the others give latency only") {
  const auto space = ofa_space();
  const NetworkSpec large = ofa_extreme(*space, true);
  const DeviceProfile vpu = shipped("myriad-x");
  REQUIRE(vpu.has_energy());
  const NetworkEstimate e = estimate_network(vpu, large, 1);
  CHECK(e.energy_j == doctest::Approx(1.0 * e.latency_s));  // 1 W x latency
  for (const char* name : {"hexagon-685", "snapdragon-845-cpu", "h100-sxm"}) CHECK_FALSE(shipped(name).has_energy());
}

TEST_CASE("the Snapdragon 845 CPU profile reproduces the published Pixel 3 MobileNetV3 latencies it was derived from") {
  const DeviceProfile cpu = shipped("snapdragon-845-cpu");
  // Fitted points (tensorflow/models MobileNetV3 README, Pixel 3 large core, float).
  CHECK(latency_ms(cpu, test::mobilenet_v3(true, false)) == doctest::Approx(44.0).epsilon(0.02));
  CHECK(latency_ms(cpu, test::mobilenet_v3(false, false)) == doctest::Approx(14.4).epsilon(0.02));
  // Held-out points (not used for the fit): the minimalistic variants, 35 ms and 11 ms.
  CHECK(latency_ms(cpu, test::mobilenet_v3(true, true)) == doctest::Approx(35.0).epsilon(0.15));
  CHECK(latency_ms(cpu, test::mobilenet_v3(false, true)) == doctest::Approx(11.0).epsilon(0.15));
}

TEST_CASE("the MobileNetV3 reference networks have the published MAC counts") {
  CHECK(count_cost(test::mobilenet_v3(true, false)).macs == doctest::Approx(217e6).epsilon(0.01));
  CHECK(count_cost(test::mobilenet_v3(true, true)).macs == doctest::Approx(209e6).epsilon(0.01));
  CHECK(count_cost(test::mobilenet_v3(false, false)).macs == doctest::Approx(56e6).epsilon(0.02));  // paper, Table 3
}

TEST_CASE("the H100 profile reproduces the CUDA-graph latencies it was derived from") {
  const auto space = ofa_space();
  const DeviceProfile gpu = shipped("h100-sxm");
  CHECK(latency_ms(gpu, ofa_extreme(*space, false)) == doctest::Approx(0.39).epsilon(0.02));
  CHECK(latency_ms(gpu, ofa_extreme(*space, true)) == doctest::Approx(0.96).epsilon(0.02));
}

TEST_CASE("device ordering on the largest OFA network: H100 < DSP < VPU < mobile CPU") {
  const auto space = ofa_space();
  const NetworkSpec large = ofa_extreme(*space, true);
  const double gpu = latency_ms(shipped("h100-sxm"), large), dsp = latency_ms(shipped("hexagon-685"), large);
  const double vpu = latency_ms(shipped("myriad-x"), large), cpu = latency_ms(shipped("snapdragon-845-cpu"), large);
  CHECK(gpu < dsp);
  CHECK(dsp < vpu);
  CHECK(vpu < cpu);
}
