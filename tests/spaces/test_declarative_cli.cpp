// The declarative space through the nasctl binary, as a user runs it: the
// example search (examples/declarative-search.toml) end to end with the
// analytic model, `space info` and `lut build` on the OFA reproduction, and
// a bad space file reported in one line with exit code 2.
#include <doctest/doctest.h>

#include <string>

#include "cli_runner.hpp"
#include "declarative_space.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/network_spec.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using namespace nasctl::test;
using nasctl::spaces::declarative::DeclarativeSpace;

namespace {

const std::string kExamples = std::string(NASCTL_SOURCE_DIR) + "/examples/";

}  // namespace

TEST_CASE("examples/declarative-search.toml searches the small CNN end to end with the analytic model") {
  TempDir dir("declarative-cli");
  const auto r = run_nasctl({"search", "-c", kExamples + "declarative-search.toml", "-o", dir / "run", "--no-progress",
                             "--set", "budget.evaluations=60"},
                            "", 300);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("evaluation budget reached after 60 evaluations") != std::string::npos);
  const CsvTable t = read_csv(dir / "run/evaluations.csv");
  REQUIRE(t.rows.size() == 60);
  // The file was found relative to the config; each journal row is the
  // space's canonical string, counted as the space lowers it.
  const DeclarativeSpace space(kExamples + "spaces/small-cnn.toml");
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    const std::string arch = t.rows[row][t.column("arch")];
    CAPTURE(arch);
    CHECK(space.to_string(space.parse(arch)) == arch);
    const NetworkCost cost = count_cost(space.lower(space.parse(arch)));
    CHECK(t.number(row, t.column("hw.macs")) == static_cast<double>(cost.macs));
    CHECK(t.number(row, t.column("hw.params")) == static_cast<double>(cost.params));
    CHECK(t.rows[row][t.column("error")].empty());
  }
}

TEST_CASE("space info and lut build on the declarative OFA MobileNetV3") {
  TempDir dir("declarative-cli");
  write_text(dir / "cfg.toml", "seed = 1\n[space]\nplugin = \"declarative\"\nfile = \"" + kExamples +
                                   "spaces/ofa-mobilenetv3.toml\"\n[search]\nplugin = \"random\"\n[budget]\nevaluations = 4\n"
                                   "[[hardware]]\nname = \"cost\"\nplugin = \"analytic\"\n[[objectives]]\nmetric = "
                                   "\"cost.macs\"\ngoal = \"min\"\n");
  const auto info = run_nasctl({"space", "info", "-c", dir / "cfg.toml"});
  REQUIRE_MESSAGE(info.exit_code == 0, info.err);
  // (9^2 + 9^3 + 9^4)^5 networks at one resolution, as ofa-mobilenetv3 says.
  CHECK(info.out.find("distinct networks: 21758655492572485851") != std::string::npos);
  const auto build = run_nasctl({"lut", "build", "-c", dir / "cfg.toml", "--hardware", "cost", "--metric", "macs", "-o",
                                 dir / "macs.csv", "--no-progress"},
                                "", 300);
  REQUIRE_MESSAGE(build.exit_code == 0, build.err);
  CHECK(build.out.find("(exact: enumerated by the space)") != std::string::npos);
  const DeclarativeSpace space(kExamples + "spaces/ofa-mobilenetv3.toml");
  CHECK(build.out.find("lut build: " + std::to_string(space.distinct_layers().size()) + " distinct layer signatures") !=
        std::string::npos);
}

TEST_CASE("a bad declarative space file stops nasctl with one line naming the file, line and key") {
  TempDir dir("declarative-cli");
  write_text(dir / "bad.toml", "[input]\nchannels = 3\nsize = 8\n[[variables]]\nname = \"c\"\nchoices = [8]\n"
                               "[[network]]\nop = \"conv\"\nkernel = 3\nout = \"c * widht\"\n");
  write_text(dir / "cfg.toml", "[space]\nplugin = \"declarative\"\nfile = \"bad.toml\"\n[search]\nplugin = \"random\"\n"
                               "[budget]\nevaluations = 4\n[[hardware]]\nname = \"cost\"\nplugin = \"analytic\"\n"
                               "[[objectives]]\nmetric = \"cost.macs\"\ngoal = \"min\"\n");
  CHECK_USER_ERROR(run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run"}),
                   "bad.toml:10: key 'network[0].out': expression 'c * widht' uses 'widht', which is not defined here",
                   "fix: define it under [constants]");
}
