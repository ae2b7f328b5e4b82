// The embedded default config: what `nasctl search` runs with no -c. It must
// be real: the OFA MobileNetV3 space, ImageNet top-1 predicted from 2,373
// real measurements of 2,162 distinct sub-networks, latency measured on this CPU, MACs and
// parameters counted, NSGA-II; a few minutes on 2 cores.
#include <string>

#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/plugin_loader.hpp"

namespace nasctl::runtime {

namespace {

constexpr const char* kDefaultConfig = R"toml(# nasctl's embedded default config (print it with `nasctl defaults`).
# Pareto-best OFA MobileNetV3 sub-networks: ImageNet top-1 (predicted from
# DyNAS-T's ImageNet measurements of 2,162 distinct sub-networks) against
# latency measured on this CPU,
# under a 6 M parameter limit.
seed = 42
out = "runs/default"

[space]
plugin = "ofa-mobilenetv3"
width = 1.0

[search]
plugin = "nsga2"
population = 32

[budget]
evaluations = 384

[[hardware]]
name = "cpu"
plugin = "measure"
threads = 1
warmup = 3
repeats = 15

[[hardware]]
name = "cost"
plugin = "analytic"

[accuracy]
plugin = "predictor"
files = ["{data}/ofa_mbv3_w10_imagenet/mbnv3w10_evoga_acc.csv",
         "{data}/ofa_mbv3_w10_imagenet/mbnv3w10_evonsga2_acc_macs.csv",
         "{data}/ofa_mbv3_w10_imagenet/mbnv3w10_evounsga3_acc_macs_params.csv",
         "{data}/ofa_mbv3_w10_imagenet/mbnv3w10_linasga_acc.csv",
         "{data}/ofa_mbv3_w10_imagenet/mbnv3w10_linasnsga2_acc_macs.csv"]

[[objectives]]
metric = "accuracy.top1_pred"
goal = "max"

[[objectives]]
metric = "cpu.latency_ms"
goal = "min"

[[constraints]]
metric = "cost.params"
max = 6.0e6
)toml";

}  // namespace

std::string default_config_text() {
  std::string text = kDefaultConfig;
  const std::string data = data_dir() + "/data";
  for (std::size_t pos = text.find("{data}"); pos != std::string::npos; pos = text.find("{data}", pos + data.size()))
    text.replace(pos, 6, data);
  return text;
}

}  // namespace nasctl::runtime
