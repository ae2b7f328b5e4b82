// Runs the report tests share: real searches of the OFA MobileNetV3 space
// with the analytic hardware model (tests/cli/configs.hpp), finished in well
// under a second each, and counting helpers for the HTML they produce.
#pragma once

#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "temp_dir.hpp"

namespace nasctl::test {

// kAnalyticConfig with random search (batches of 7) and a limit on
// parameters, so the run has feasible and infeasible evaluations.
inline std::string constrained_random_config(const std::string& limit = "5.0e6") {
  return config_with("plugin = \"nsga2\"\npopulation = 8", "plugin = \"random\"\nbatch = 7") +
         "\n[[constraints]]\nmetric = \"cost.params\"\nmax = " + limit + "\n";
}

// `nasctl search` of `config` into DIR/NAME; the search's result.
inline CliResult search_run(const TempDir& dir, const std::string& name, const std::string& config,
                            const std::vector<std::string>& extra = {}) {
  write_text(dir / (name + ".toml"), config);
  std::vector<std::string> args{"search", "-c", dir / (name + ".toml"), "-o", dir / name, "--no-progress"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_nasctl(args);
}

// Occurrences of `what` in `text`.
inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace nasctl::test
