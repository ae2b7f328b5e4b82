#include "command_model.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <regex>
#include <stdexcept>

#include "nasctl/error.hpp"
#include "nasctl/metrics.hpp"
#include "nasctl/onnx/model_file.hpp"

namespace nasctl::hardware::command {

namespace fs = std::filesystem;

namespace {

// The expanded command as a line one can paste into a shell.
std::string one_line(const std::vector<std::string>& argv, std::size_t max_chars = 240) {
  std::string s;
  for (const auto& a : argv) {
    const bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,@%+") == std::string::npos;
    s += (s.empty() ? "" : " ") + (plain ? a : shell_quote(a));
  }
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s.size() > max_chars ? s.substr(0, max_chars) + "..." : s;
}

CommandTemplate read_template(const PluginConfig& config) {
  const bool argv = config.has("command");
  const bool shell = config.has("shell_command");
  if (argv && shell)
    config.fail("shell_command", "is given together with 'command'; fix: keep one: command = [argv...] runs without "
                                 "a shell, shell_command = \"...\" runs through /bin/sh");
  if (!argv && !shell)
    config.fail("command", "is missing; fix: set command = [\"my-bench\", \"--model\", \"{model}\"] (or shell_command "
                           "= \"...\" for pipes and &&)");
  if (shell) {
    const std::string& line = config.get_string("shell_command");
    if (line.find_first_not_of(" \t") == std::string::npos)
      config.fail("shell_command", "is empty; fix: give the command line that benchmarks {model} on the device");
    const std::string problem = template_problem(line);
    if (!problem.empty()) config.fail("shell_command", problem + "; fix: use {model}, {arch}, {batch}, {rank} and {local_rank} only");
    return CommandTemplate::from_shell(line);
  }
  const std::vector<std::string>& args = config.get_strings("command");
  if (args.empty() || args.front().empty())
    config.fail("command", "is empty or has an empty program name; fix: give the program first, e.g. [\"adb\", ...]");
  for (const auto& arg : args) {
    const std::string problem = template_problem(arg);
    if (!problem.empty()) config.fail("command", "argument '" + arg + "': " + problem + "; fix: use {model}, {arch}, {batch}, {rank} and {local_rank} only");
  }
  return CommandTemplate::from_argv(args);
}

LatencyParser read_parser(const PluginConfig& config) {
  const bool regex = config.has("regex");
  const bool json = config.has("json_key");
  if (regex && json) config.fail("json_key", "is given together with 'regex'; fix: keep one way to find the latency");
  if (!regex && !json)
    config.fail("regex", "is missing; fix: set regex = \"latency: ([0-9.]+) ms\" (first capture group) or json_key = "
                         "\"stats.latency_ms\"");
  if (json) {
    const std::string& key = config.get_string("json_key");
    if (key.empty() || key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos)
      config.fail("json_key", "'" + key + "' is not a dotted key path; fix: e.g. \"latency_ms\" or \"stats.mean_ms\"");
    return LatencyParser::from_json_key(key);
  }
  const std::string& pattern = config.get_string("regex");
  try {
    return LatencyParser::from_regex(pattern);
  } catch (const std::regex_error& e) {
    config.fail("regex", "'" + pattern + "' is not a valid ECMAScript regex (" + e.what() + "); fix: correct the pattern");
  } catch (const std::invalid_argument&) {
    config.fail("regex", "'" + pattern + "' has no capture group; fix: put the number in parentheses, e.g. "
                         "\"latency: ([0-9.]+) ms\"");
  }
}

model_export::ModelFormat read_format(const PluginConfig& config) {
  const std::string& name = config.get_string("format");
  // "auto" is the declared default so that the documented default does not
  // depend on how this nasctl was built.
  const auto format = name == "auto" ? std::optional(model_export::default_format()) : model_export::parse_format(name);
  if (!format) config.fail("format", "'" + name + "' is not a model format; fix: use \"onnx\" or \"torchscript\"");
  if (*format == model_export::ModelFormat::Onnx && !model_export::onnx_available())
    config.fail("format", "\"onnx\" needs a nasctl built with ONNX (libonnx-dev was not found when it was "
                          "configured); fix: install libonnx-dev and rebuild nasctl, or set format = \"torchscript\"");
  return *format;
}

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/nasctl-command-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw Error(pattern + ": cannot create a temporary folder for exported models; fix: set TMPDIR to a writable folder");
  return pattern;
}

// NASCTL_RANK/NASCTL_LOCAL_RANK: set by nasctl search on each MPI rank.
std::string env_or_zero(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : "0";
}

}  // namespace

std::vector<ConfigKey> CommandModel::config_keys() {
  return {
      ConfigKey::optional("command", ConfigType::StringList,
                          "The benchmark command as an argv list, run without a shell; {model} (exported model "
                          "file), {arch} (canonical architecture), {batch}, {rank} and {local_rank} (the MPI rank "
                          "evaluating it, 0 without MPI) are replaced inside arguments"),
      ConfigKey::optional("shell_command", ConfigType::String,
                          "Instead of `command`: one line run by /bin/sh -c (for && and pipes); placeholders are "
                          "replaced by single-quoted shell words"),
      ConfigKey::optional("regex", ConfigType::String,
                          "ECMAScript regex whose first capture group is the latency, e.g. \"latency: ([0-9.]+) ms\""),
      ConfigKey::optional("json_key", ConfigType::String,
                          "Instead of `regex`: dotted key path of the latency in JSON output (the whole output or its "
                          "last line), e.g. \"stats.mean_ms\""),
      ConfigKey::choice("unit", "ms", {"ms", "us", "s"}, "Unit of the number the command prints"),
      ConfigKey::choice("output", "stdout", {"stdout", "stderr", "both"},
                        "Which output holds the latency (\"both\": stdout then stderr)"),
      ConfigKey::real("timeout_s", 120.0, "Seconds one run may take before its process group is killed")
          .at_least(0.001),
      ConfigKey::integer("retries", 1, "Extra runs after a failed one (non-zero exit, timeout, no number)")
          .at_least(0),
      ConfigKey::choice("format", "auto", {"auto", "onnx", "torchscript"},
                        "File format of {model}: \"onnx\" (standard operators, opset 14, batch norm folded) or "
                        "\"torchscript\" (a TorchScript archive); \"auto\": onnx when nasctl was built with ONNX, "
                        "else torchscript; the file name ends in .onnx or .pt"),
      ConfigKey::integer("batch", 1,
                         "Batch size filled into {batch}; also the input batch of an ONNX {model} (a TorchScript "
                         "model takes any batch)")
          .at_least(1),
      ConfigKey::integer("seed", 0, "Seed of the exported model's random weights").at_least(0),
  };
}

CommandModel::CommandModel(const PluginContext& context)
    : who_("command '" + context.instance + "'"),
      template_(read_template(context.config)),
      parser_(read_parser(context.config)),
      output_(context.config.get_string("output")),
      unit_(context.config.get_string("unit")),
      retries_(static_cast<int>(context.config.get_int("retries"))),
      format_(read_format(context.config)),
      batch_(static_cast<int>(context.config.get_int("batch"))),
      seed_(static_cast<uint64_t>(context.config.get_int("seed"))) {
  unit_to_ms_ = unit_ == "us" ? 1e-3 : unit_ == "s" ? 1e3 : 1.0;
  process_.timeout_s = context.config.get_double("timeout_s");
  temp_dir_ = make_temp_dir();
}

CommandModel::~CommandModel() {
  std::error_code ec;
  fs::remove_all(temp_dir_, ec);
}

std::vector<MetricInfo> CommandModel::metrics() const {
  return {{"latency_ms", "ms", "Latency the device command reports for the exported sub-network"}};
}

std::optional<double> CommandModel::attempt(const std::vector<std::string>& argv, std::string& why,
                                            ProcessResult& last) {
  last = run_process(argv, process_);
  if (!last.ok()) {
    why = last.status_text();
    return std::nullopt;
  }
  const std::string text = output_ == "stdout" ? last.out : output_ == "stderr" ? last.err : last.out + "\n" + last.err;
  std::string parse_problem;
  const std::optional<double> value = parser_->parse(text, parse_problem);
  if (!value) {
    why = "exit code 0 but " + parse_problem;
    return std::nullopt;
  }
  const double ms = *value * unit_to_ms_;
  if (!(ms > 0) || !std::isfinite(ms)) {
    why = "exit code 0 but the latency read is " + six_digits(*value) + " " + unit_ + ", not a positive number";
    return std::nullopt;
  }
  return ms;
}

double CommandModel::measure(const NetworkSpec& network, const std::string& arch) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const std::string model = (fs::path(temp_dir_) / "model").string() + model_export::file_extension(format_);
  if (template_.uses("model")) {
    try {
      model_export::export_model(network, export_options(arch), model);
    } catch (const Error& e) {
      throw EvaluationError(who_ + ": " + arch + ": exporting {model} failed: " + e.what());
    }
  }
  const std::vector<std::string> argv =
      template_.expand({{"model", model}, {"arch", arch}, {"batch", std::to_string(batch_)},
                        {"rank", env_or_zero("NASCTL_RANK")}, {"local_rank", env_or_zero("NASCTL_LOCAL_RANK")}});

  const int attempts = 1 + retries_;
  std::string why;
  ProcessResult last;
  for (int i = 1; i <= attempts; ++i) {
    const std::optional<double> ms = attempt(argv, why, last);
    if (ms) {
      std::error_code ec;
      fs::remove(model, ec);
      return *ms;
    }
    if (i < attempts) spdlog::warn("{}: {}: attempt {}/{} failed: {}; retrying", who_, arch, i, attempts, why);
  }
  std::error_code ec;
  fs::remove(model, ec);

  std::string output = last_lines(output_ == "stderr" ? last.err : last.out);
  const std::string err = last_lines(last.err, 3);
  if (output_ == "stdout" && !err.empty()) output += (output.empty() ? "" : " | ") + std::string("stderr: ") + err;
  std::string fix;
  if (!last.started)
    fix = "check that the program exists and is executable (PATH is searched for a bare name)";
  else if (last.timed_out)
    fix = "raise timeout_s (now " + six_digits(process_.timeout_s) + ") or check that the device answers";
  else if (!last.ok())
    fix = "run the command by hand to see why it fails: " + one_line(argv);
  else
    fix = "adjust " + parser_->describe() + " to the output shown, or choose output = \"stderr\"/\"both\"";
  throw EvaluationError(who_ + ": " + arch + ": " + why + " (" + std::to_string(attempts) + " attempt" +
                        (attempts == 1 ? "" : "s") + "); last output: \"" + output + "\"; fix: " + fix);
}

model_export::ExportOptions CommandModel::export_options(const std::string& arch) const {
  model_export::ExportOptions options;
  options.format = format_;
  options.batch = batch_;
  options.seed = seed_;
  options.metadata = {{"nasctl.arch", arch}};
  return options;
}

Metrics CommandModel::provide(const Candidate& candidate) {
  return {{"latency_ms", measure(candidate.network, candidate.canonical)}};
}

Conditions CommandModel::conditions() const {
  return {{"method", "external command on the target device"},
          {"command", template_.text()},
          {"extract", parser_->describe() + " in " + output_},
          {"unit", unit_},
          {"timeout_s", six_digits(process_.timeout_s)},
          {"retries", std::to_string(retries_)},
          {"batch", std::to_string(batch_)},
          {"model_format", model_export::describe(export_options(""))}};
}

}  // namespace nasctl::hardware::command
