// `nasctl lut build` and `nasctl lut check`: latency lookup tables for the
// `lut` hardware plugin. The table format and the engines are in nasctl::lut;
// these files wire them to a session (the config's space and one
// [[hardware]] instance) and to the command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/runtime/session.hpp"

namespace CLI {
class App;
}

namespace nasctl::cli {

struct LutOptions {
  enum class Action { None, Build, Check };
  Action action = Action::None;
  ConfigOptions config;
  std::string hardware;                 // --hardware: the [[hardware]] instance that measures
  std::string metric = "latency_ms";    // --metric: its metric the table holds
  std::string out_file;                 // build -o
  std::size_t samples = 2000;           // build --samples (spaces that cannot enumerate their layers)
  std::size_t limit = 0;                // build --limit (0: every missing signature)
  bool no_progress = false;
  std::size_t passes = 1;               // --passes: measure everything N times in turn, keep medians
  std::string lut_file;                 // check --lut
  std::size_t networks = 50;            // check -n
  std::optional<uint64_t> seed;         // check --seed (default: the config's seed)
  bool write_calibration = false;       // check --write-calibration
  std::string json_file;                // check --json (default: <lut>.check.json)
};

// Registers `lut` with its subcommands `build` and `check`; returns `lut`.
CLI::App* add_lut_command(CLI::App& app, LutOptions& options);
int run_lut_command(const LutOptions& options);

namespace lut_detail {

// The config's space and the named [[hardware]] instance only (the others,
// the accuracy source and the objectives are left out: a config that uses
// the table being built must still open).
struct LutSession {
  std::unique_ptr<runtime::Session> session;
  const runtime::ProviderInstance* hardware = nullptr;
  HardwareModel* model = nullptr;
  bool energy = false;  // the instance also gives energy_mj
};
LutSession open_lut_session(const LutOptions& options);

// "# hardware: ..." and "# conditions: ..." lines describing the instance.
std::string hardware_line(const LutSession& s, const std::string& metric);
std::string conditions_line(const LutSession& s);

// The value of `metric` in `metrics`, or EvaluationError naming what is there.
double metric_value(const Metrics& metrics, const std::string& metric, const std::string& instance);

int run_lut_check(const LutOptions& options);

}  // namespace lut_detail

}  // namespace nasctl::cli
