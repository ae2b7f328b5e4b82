// Commands whose stdout is data print only data there, so that
// `nasctl evaluate ... > out.csv` is a CSV: logs and progress go to stderr.
// Each case pipes the command's stdout into the parser of its format. Also:
// the flags every command shares (--no-progress, --log-level) are accepted
// before or after any subcommand.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <sstream>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "nasctl/csv.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;

namespace {

// The analytic config with an accuracy predictor fitted on the real DyNAS-T
// table: the predictor logs its fit (an info line) while the CSV is made.
std::string predictor_config() {
  return kAnalyticConfig + R"(
[accuracy]
plugin = "predictor"
files = [")" NASCTL_DATA_DIR R"(/ofa_mbv3_w10_imagenet/mbnv3w10_evoga_acc.csv"]
)";
}

// Parsed by the same reader that loads tables (quoted fields, a header).
nasctl::CsvTable parse_csv(const TempDir& dir, const std::string& text) {
  write_text(dir / "parsed.csv", text);
  return nasctl::read_csv(dir / "parsed.csv");
}

}  // namespace

TEST_CASE("evaluate with a logging accuracy source: stdout is exactly the CSV, the log is on stderr") {
  TempDir dir("cli-stdout");
  write_text(dir / "cfg.toml", predictor_config());
  const auto r = run_nasctl({"evaluate", "-c", dir / "cfg.toml", kSmallestCanonical, kEvogaFirstRow}, "", 300);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK_MESSAGE(has_log_line(r.err), "the predictor's fit is logged on stderr: " << r.err);
  CHECK_FALSE(has_log_line(r.out));
  const nasctl::CsvTable table = parse_csv(dir, r.out);
  REQUIRE(table.header.size() == 5);
  CHECK(table.header.front() == "arch");
  CHECK(table.column("accuracy.top1_pred") > 0);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0][0] == kSmallestCanonical);
  CHECK(std::stod(table.rows[1][table.column("accuracy.top1_pred")]) > 50.0);
}

TEST_CASE("evaluate -o writes the same CSV to a file and nothing to stdout") {
  TempDir dir("cli-stdout");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto to_stdout = run_nasctl({"evaluate", "-c", dir / "cfg.toml", kSmallestCanonical});
  const auto to_file = run_nasctl({"evaluate", "-c", dir / "cfg.toml", "-o", dir / "out.csv", kSmallestCanonical});
  REQUIRE_MESSAGE(to_file.exit_code == 0, to_file.err);
  CHECK(to_file.out.empty());
  CHECK(read_text(dir / "out.csv") == to_stdout.out);
  CHECK(nasctl::read_csv(dir / "out.csv").rows.size() == 1);

  const auto missing_folder =
      run_nasctl({"evaluate", "-c", dir / "cfg.toml", "-o", dir / "no/such/out.csv", kSmallestCanonical});
  CHECK_USER_ERROR(missing_folder, "-o ", "does not exist", "fix:");
}

TEST_CASE("a failing architecture leaves neither a partial CSV on stdout nor a file") {
  TempDir dir("cli-stdout");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto r = run_nasctl({"evaluate", "-c", dir / "cfg.toml", "-o", dir / "out.csv", kSmallestCanonical,
                             "ks=3;e=3;d=9;r=224"});
  CHECK_USER_ERROR(r, "argument 2");
  CHECK(r.out.empty());
  CHECK_FALSE(std::filesystem::exists(dir / "out.csv"));
}

TEST_CASE("defaults, plugins --json, plugins show --json and plugins --markdown print only their format") {
  const auto defaults = run_nasctl({"defaults", "--log-level", "debug"});
  REQUIRE(defaults.exit_code == 0);
  CHECK_NOTHROW(toml::parse(defaults.out));

  const auto json = run_nasctl({"plugins", "--json", "--log-level", "debug"});
  REQUIRE(json.exit_code == 0);
  nlohmann::json all;
  REQUIRE_NOTHROW(all = nlohmann::json::parse(json.out));
  CHECK(all.is_array());
  CHECK(all.size() >= 4);

  const auto show = run_nasctl({"--log-level", "debug", "plugins", "show", "nsga2", "--json"});
  REQUIRE(show.exit_code == 0);
  nlohmann::json one;
  REQUIRE_NOTHROW(one = nlohmann::json::parse(show.out));
  CHECK(one["name"] == "nsga2");

  const auto markdown = run_nasctl({"plugins", "--markdown", "--log-level", "debug"});
  REQUIRE(markdown.exit_code == 0);
  CHECK(markdown.out.rfind("### ", 0) == 0);
  CHECK_FALSE(has_log_line(markdown.out));
}

TEST_CASE("export -o - writes the model file's bytes, and only them, to stdout") {
  TempDir dir("cli-stdout");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto file = run_nasctl(
      {"export", "-c", dir / "cfg.toml", "--arch", kSmallestCanonical, "--format", "torchscript", "-o", dir / "m.pt"},
      "", 300);
  REQUIRE_MESSAGE(file.exit_code == 0, file.err);
  const auto piped = run_nasctl(
      {"export", "-c", dir / "cfg.toml", "--arch", kSmallestCanonical, "--format", "torchscript", "-o", "-"}, "", 300);
  REQUIRE_MESSAGE(piped.exit_code == 0, piped.err);
  CHECK(piped.out.rfind("PK\x03\x04", 0) == 0);  // a TorchScript archive is a zip file
  CHECK(piped.out.size() == read_text(dir / "m.pt").size());
  CHECK(piped.err.find("arch: " + kSmallestCanonical) != std::string::npos);
}

TEST_CASE("--no-progress and --log-level are accepted by every long-running command, before or after it") {
  TempDir dir("cli-stdout");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  // Each parses: what fails is the missing input, named in one line; an
  // unknown flag would fail earlier with CLI11's usage text instead.
  const std::vector<std::vector<std::string>> commands{
      {"space", "select", "-c", dir / "cfg.toml", "--hardware", "cost", "-o", dir / "no/ops.toml"},
      {"lut", "build", "-c", dir / "cfg.toml", "--hardware", "nope", "-o", dir / "t.csv"},
      {"lut", "check", "-c", dir / "cfg.toml", "--hardware", "nope", "--lut", dir / "t.csv"},
      {"export", "-c", dir / "cfg.toml", "--arch", "x", "-o", dir / "no/m.pt"},
  };
  for (const auto& command : commands) {
    for (const bool before : {false, true}) {
      std::vector<std::string> args = command;
      const std::vector<std::string> flags{"--no-progress", "--log-level", "warn"};
      args.insert(before ? args.begin() : args.end(), flags.begin(), flags.end());
      CAPTURE(command[0]);
      CAPTURE(before);
      CHECK_USER_ERROR(run_nasctl(args));
    }
  }
  const auto search = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress",
                                  "--log-level", "warn"});
  CHECK_MESSAGE(search.exit_code == 0, search.err);
  CHECK(search.err.empty());  // warn and above only: a clean run says nothing on stderr
}
