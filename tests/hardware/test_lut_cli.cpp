// `nasctl lut build` and `nasctl lut check` run as a user runs them: the
// built nasctl with the real measure, lut and OFA plugins, on OFA at 128x128
// (160 distinct signatures, a couple of seconds with 3 timed repeats).
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "lut_support.hpp"

using namespace nasctl;
using namespace nasctl::test;

namespace {

// The `table` instance reads the table being built: lut build/check open
// only the instance they are given, so the config works before the table exists.
std::string config(int repeats = 3) {
  return R"(seed = 3
out = "runs/unused"

[space]
plugin = "ofa-mobilenetv3"
resolutions = [128]

[search]
plugin = "random"

[budget]
evaluations = 4

[[hardware]]
name = "cpu"
plugin = "measure"
threads = 1
warmup = 1
repeats = )" + std::to_string(repeats) + R"(
ci_target_percent = 0

[[hardware]]
name = "table"
plugin = "lut"
file = "lut.csv"

[[objectives]]
metric = "table.latency_ms"
goal = "min"
)";
}

CliResult run_lut(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), "lut");
  args.insert(args.end(), {"-c", dir / "cfg.toml", "--hardware", "cpu", "--no-progress"});
  return run_nasctl(args, "", 300);
}

std::size_t data_rows(const std::string& file) {
  const lut::LutFile f = lut::read_lut(file);  // fails on duplicate keys
  std::size_t ok = 0;
  for (const auto& e : f.entries) ok += e.status == lut::EntryStatus::Ok;
  CHECK(ok == f.entries.size());
  return ok;
}

}  // namespace

TEST_CASE("lut build measures every signature once, a second run measures nothing") {
  TempDir dir("lut-cli");
  write_text(dir / "cfg.toml", config());
  const auto first = run_lut(dir, {"build", "-o", dir / "lut.csv"});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(first.out.find("160 distinct layer signatures (exact: enumerated by the space); 0 already") != std::string::npos);
  CHECK(data_rows(dir / "lut.csv") == 160);
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  CHECK(f.comment_value("hardware") == "cpu (plugin measure 1.1.0), metric latency_ms");
  CHECK(f.comment_value("conditions").find("repeats=3") != std::string::npos);
  CHECK(f.comment_value("isolation").find("; one pass per timed sample;") != std::string::npos);

  const auto second = run_lut(dir, {"build", "-o", dir / "lut.csv"});
  REQUIRE_MESSAGE(second.exit_code == 0, second.err);
  CHECK(second.out.find("160 already in") != std::string::npos);
  CHECK(second.out.find("0 measured now") != std::string::npos);
}

TEST_CASE("lut build times entries the way the measuring plugin says lone layers run (measure: layer_back_to_back)") {
  TempDir dir("lut-cli");
  write_text(dir / "cfg.toml", config());
  const auto built = run_lut(dir, {"build", "-o", dir / "lut.csv", "--limit", "3", "--set", "hardware.cpu.layer_back_to_back=2"});
  REQUIRE_MESSAGE(built.exit_code == 0, built.err);
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  CHECK(f.entries.size() == 3);
  CHECK(f.comment_value("isolation").find("2 passes back to back per timed sample, per-pass share") != std::string::npos);
  CHECK(f.comment_value("conditions").find("layer_back_to_back=2") != std::string::npos);
}

TEST_CASE("lut check reports the figures, writes its JSON and the calibration the lut plugin then uses") {
  TempDir dir("lut-cli");
  // A deterministic device (a roofline profile) instead of a timed CPU: on a
  // busy CI machine measured latencies of six networks need not even grow
  // with their table sums, and a test must not depend on the machine's load.
  std::string deterministic = config(5);
  const std::string measured = "plugin = \"measure\"\nthreads = 1\nwarmup = 1\nrepeats = 5\nci_target_percent = 0";
  deterministic.replace(deterministic.find(measured), measured.size(),
                        "plugin = \"roofline\"\ndevice = \"snapdragon-845-cpu\"");
  write_text(dir / "cfg.toml", deterministic);
  REQUIRE(run_lut(dir, {"build", "-o", dir / "lut.csv"}).exit_code == 0);
  const auto check = run_lut(dir, {"check", "--lut", dir / "lut.csv", "-n", "6", "--seed", "9", "--write-calibration"});
  REQUIRE_MESSAGE(check.exit_code == 0, check.err);
  for (const char* part : {"6 sub-networks measured end to end", "LUT sum (uncalibrated)", "within +-10%",
                           "Kendall tau", "leave-one-out", "load average", "wrote the calibration"})
    CHECK_MESSAGE(check.out.find(part) != std::string::npos, "missing: " << part << "\n" << check.out);
  const auto report = nlohmann::json::parse(read_text(dir / "lut.csv.check.json"));
  CHECK(report["samples"].size() == 6);
  CHECK(report["info"]["seed"] == "9");
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  REQUIRE(f.calibration);
  CHECK(f.calibration->scale == doctest::Approx(report["fitted_calibration"]["scale"].get<double>()));

  // The plugin prices a sub-network as the calibrated sum.
  const std::string arch = report["samples"][0]["arch"];
  const auto evaluated = run_nasctl({"evaluate", "-c", dir / "cfg.toml", arch});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  // calibrated_ms: the chosen form applied (tests/hardware/test_lut_calibration
  // checks its arithmetic), which the table's line must reproduce.
  const double expected = report["samples"][0]["calibrated_ms"];
  const auto comma = evaluated.out.rfind(',');
  CHECK(std::stod(evaluated.out.substr(comma + 1)) == doctest::Approx(expected).epsilon(1e-9));
}

TEST_CASE("a build killed with SIGKILL keeps its rows, the rerun completes it without duplicates") {
  TempDir dir("lut-cli");
  write_text(dir / "cfg.toml", config(40));
  const pid_t pid = spawn_nasctl({"lut", "build", "-c", dir / "cfg.toml", "--hardware", "cpu", "-o", dir / "lut.csv",
                                  "--no-progress"},
                                 dir / "killed.out", dir / "killed.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (count_lines(dir / "lut.csv") < 40 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, SIGKILL);
  REQUIRE(wait_for(pid).signal == SIGKILL);  // it was still running
  const std::size_t kept = count_lines(dir / "lut.csv") - 6;  // format, 4 comments, header
  CHECK(kept >= 33);
  CHECK(kept < 160);

  write_text(dir / "cfg.toml", config(40));
  const auto resumed = run_lut(dir, {"build", "-o", dir / "lut.csv"});
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  CHECK(resumed.out.find(std::to_string(kept) + " already in") != std::string::npos);
  CHECK(data_rows(dir / "lut.csv") == 160);
}

TEST_CASE("lut commands refuse bad input with one line naming what and the fix") {
  TempDir dir("lut-cli");
  write_text(dir / "cfg.toml", config());
  CHECK_USER_ERROR(run_nasctl({"lut", "build", "-c", dir / "cfg.toml", "--hardware", "gpu", "-o", dir / "l.csv"}),
                   "--hardware 'gpu'", "(it has: cpu, table)", "fix:");
  CHECK_USER_ERROR(run_lut(dir, {"build", "-o", dir / "l.csv", "--metric", "watts"}), "gives no metric 'watts'",
                   "latency_spread", "fix:");
  CHECK_USER_ERROR(run_lut(dir, {"build", "-o", dir / "missing/l.csv"}), "does not exist", "fix:");
  // A table lacking signatures: check names them before measuring anything.
  REQUIRE(run_lut(dir, {"build", "-o", dir / "part.csv", "--limit", "5"}).exit_code == 0);
  CHECK_USER_ERROR(run_lut(dir, {"check", "--lut", dir / "part.csv", "-n", "3"}), "layer signatures without an entry",
                   "and ", "fix: run `nasctl lut build");
}

TEST_CASE("a config whose lut table is malformed fails validation naming the table's file:line") {
  TempDir dir("lut-cli");
  write_text(dir / "cfg.toml", config());
  write_text(dir / "lut.csv", "key,latency_ms,status\nadd|8x8x8|8x8x8|n2,0.1,ok\nadd|8x8x8|8x8x8|n2,0.2,ok\n");
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "cfg.toml"}), dir / "lut.csv:3: key 'add|8x8x8|8x8x8|n2'",
                   "already appears on line 2", "fix:");
}

namespace {

std::string macs_config(const std::string& space) {
  return R"(seed = 5
[space]
plugin = ")" + space + R"("

[search]
plugin = "random"

[budget]
evaluations = 25

[[hardware]]
name = "cost"
plugin = "analytic"

[[hardware]]
name = "table"
plugin = "lut"
file = "macs.csv"

[[objectives]]
metric = "table.latency_ms"
goal = "min"
)";
}

}  // namespace

TEST_CASE("a table of MACs built through the CLI prices every searched network at exactly its analytic MACs") {
  // Any metric of any hardware model can be tabulated; MACs add up exactly,
  // so this checks enumeration, isolation, the table and the sum end to end.
  for (const std::string space : {"hurricane", "ofa-mobilenetv3"}) {
    CAPTURE(space);
    TempDir dir("lut-cli");
    write_text(dir / "cfg.toml", macs_config(space));
    const auto build = run_nasctl({"lut", "build", "-c", dir / "cfg.toml", "--hardware", "cost", "--metric", "macs",
                                   "-o", dir / "macs.csv", "--no-progress"});
    REQUIRE_MESSAGE(build.exit_code == 0, build.err);
    CHECK(build.out.find("(exact: enumerated by the space)") != std::string::npos);
    const auto search = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
    REQUIRE_MESSAGE(search.exit_code == 0, search.err);
    const CsvTable t = read_csv(dir / "run/evaluations.csv");
    REQUIRE(t.rows.size() == 25);
    for (std::size_t r = 0; r < t.rows.size(); ++r)
      CHECK(t.number(r, t.column("table.latency_ms")) == t.number(r, t.column("cost.macs")));
  }
}
