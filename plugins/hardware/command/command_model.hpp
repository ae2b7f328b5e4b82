// The "command" hardware plugin: latency measured on a device nasctl cannot
// run on (a phone over adb, a board over ssh, an accelerator's own
// benchmark tool). For each candidate it exports the sub-network to a
// temporary file (ONNX by default, or TorchScript: key `format`), runs the
// user's command with {model}, {arch} and {batch} filled in, and reads the
// latency from the command's output by regex or JSON key. A failed run
// (non-zero exit, timeout, no number) is retried `retries` times; the final
// error shows the exit status and the last lines of the output.
// Measurements run one at a time (needs_exclusive_machine), since the device
// is one device.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "command_template.hpp"
#include "latency_parser.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/onnx/model_file.hpp"
#include "subprocess.hpp"

namespace nasctl::hardware::command {

class CommandModel : public MetricProvider {
 public:
  // Validates the template, the extraction rule and creates the temporary
  // folder; throws ConfigError naming the key.
  explicit CommandModel(const PluginContext& context);
  ~CommandModel() override;

  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics provide(const Candidate& candidate) override;
  bool needs_exclusive_machine() const override { return true; }
  Conditions conditions() const override;

  // One measurement of a network given its canonical architecture text (what
  // provide() does, without needing a search space).
  double measure(const NetworkSpec& network, const std::string& arch);

 private:
  // One run; returns the latency in ms or explains the failure in `why`.
  std::optional<double> attempt(const std::vector<std::string>& argv, std::string& why, ProcessResult& last);
  // How {model} is written; `arch` goes into the ONNX metadata.
  model_export::ExportOptions export_options(const std::string& arch) const;

  std::string who_;  // "command '<instance>'"
  CommandTemplate template_;
  std::optional<LatencyParser> parser_;
  std::string output_;  // "stdout", "stderr" or "both"
  double unit_to_ms_ = 1.0;
  std::string unit_;
  ProcessOptions process_;
  int retries_ = 0;
  model_export::ModelFormat format_ = model_export::ModelFormat::Onnx;
  int batch_ = 1;
  uint64_t seed_ = 0;
  std::string temp_dir_;
  std::mutex mutex_;
};

}  // namespace nasctl::hardware::command
