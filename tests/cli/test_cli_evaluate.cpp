// `nasctl evaluate`: metrics of given architectures as CSV, in canonical or
// DyNAS-T form; bad architecture strings are one-line errors naming the
// argument or file:line.
#include <doctest/doctest.h>

#include <sstream>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;

namespace {

CliResult evaluate(const TempDir& dir, const std::vector<std::string>& archs, const std::vector<std::string>& extra = {}) {
  write_text(dir / "cfg.toml", kAnalyticConfig);
  std::vector<std::string> args{"evaluate", "-c", dir / "cfg.toml"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), archs.begin(), archs.end());
  return run_nasctl(args);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const std::string kHeader = "arch,cost.macs,cost.params,cost.peak_activation_bytes";

}  // namespace

TEST_CASE("evaluate prints a CSV row of analytic metrics per architecture, with the canonical form") {
  TempDir dir("cli-eval");
  const auto r = evaluate(dir, {kSmallestCanonical, kEvogaFirstRow});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto rows = lines(r.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == kHeader);
  CHECK(rows[1].rfind("\"" + kSmallestCanonical + "\",", 0) == 0);
  // DyNAS-T's measured parameters and MACs for this sub-network.
  CHECK(rows[2].find("ks=5,7,-,-,3,3,3,-,5,5,-,-") != std::string::npos);
  CHECK(rows[2].find(",255502624,5029656,") != std::string::npos);
}

TEST_CASE("the DyNAS-T dict form gives the same row as the canonical form") {
  TempDir dir("cli-eval");
  const auto canonical = evaluate(dir, {kSmallestCanonical});
  const auto dynast = evaluate(dir, {kSmallestDynast});
  REQUIRE(canonical.exit_code == 0);
  REQUIRE(dynast.exit_code == 0);
  CHECK(dynast.out == canonical.out);
}

TEST_CASE("--archs reads one architecture per line, skipping comments and blank lines") {
  TempDir dir("cli-eval");
  write_text(dir / "archs.txt", "# two networks\n" + kSmallestCanonical + "\n\n" + kEvogaFirstRow + "\n");
  const auto r = evaluate(dir, {}, {"--archs", dir / "archs.txt"});
  REQUIRE(r.exit_code == 0);
  CHECK(lines(r.out).size() == 3);
}

TEST_CASE("--set of a hardware key by instance name or by index changes the metrics") {
  TempDir dir("cli-eval");
  const auto peak = [](const CliResult& r) { return std::stod(r.out.substr(r.out.rfind(',') + 1)); };
  const auto fp32 = evaluate(dir, {kSmallestCanonical});
  const auto fp16 = evaluate(dir, {kSmallestCanonical}, {"--set", "hardware.cost.bytes_per_element=2"});
  const auto int8 = evaluate(dir, {kSmallestCanonical}, {"--set", "hardware[0].bytes_per_element=1"});
  REQUIRE(fp32.exit_code == 0);
  REQUIRE(fp16.exit_code == 0);
  REQUIRE(int8.exit_code == 0);
  CHECK(peak(fp16) * 2 == peak(fp32));
  CHECK(peak(int8) * 4 == peak(fp32));
}

TEST_CASE("an architecture of the wrong length: error naming the argument and the expected form") {
  TempDir dir("cli-eval");
  const auto r = evaluate(dir, {kSmallestCanonical, "ks=3;e=3;d=2;r=224"});
  CHECK_USER_ERROR(r, "argument 2: architecture 'ks=3;e=3;d=2;r=224': ks has 1 values, expected 20", "expected 'ks=<20 of 3|5|7");
  CHECK(r.out.empty());
}

TEST_CASE("an out-of-range choice: error naming the variable and the allowed values") {
  TempDir dir("cli-eval");
  std::string bad = kSmallestCanonical;
  bad.replace(bad.find("d=2"), 3, "d=9");
  const auto r = evaluate(dir, {bad});
  CHECK_USER_ERROR(r, "argument 1: architecture", "d[0] = 9 is not one of {2, 3, 4}");
}

TEST_CASE("a garbage string: error naming it and the expected forms") {
  TempDir dir("cli-eval");
  const auto r = evaluate(dir, {"garbage"});
  CHECK_USER_ERROR(r, "argument 1: architecture 'garbage'", "DyNAS-T");
}

TEST_CASE("a DyNAS-T dict with 19 kernel sizes: error counting them") {
  TempDir dir("cli-eval");
  std::string bad = kSmallestDynast;
  bad.erase(bad.find("'ks': [3, ") + 7, 3);
  const auto r = evaluate(dir, {bad});
  CHECK_USER_ERROR(r, "argument 1: architecture '{'wid': None, 'ks': [3, 3,", "ks has 19 values, expected 20");
}

TEST_CASE("a bad line of an --archs file: error naming file:line") {
  TempDir dir("cli-eval");
  write_text(dir / "archs.txt", "# header\n" + kSmallestCanonical + "\nks=3\n");
  const auto r = evaluate(dir, {}, {"--archs", dir / "archs.txt"});
  CHECK_USER_ERROR(r, dir / "archs.txt:3: architecture 'ks=3'");
}

TEST_CASE("an --archs file that does not exist: error naming it") {
  TempDir dir("cli-eval");
  const auto r = evaluate(dir, {}, {"--archs", dir / "missing.txt"});
  CHECK_USER_ERROR(r, dir / "missing.txt: cannot read; fix:");
}

TEST_CASE("no architecture at all: error saying how to give them") {
  TempDir dir("cli-eval");
  const auto r = evaluate(dir, {});
  CHECK_USER_ERROR(r, "no architectures given; fix: pass architecture strings or --archs FILE");
}
