// `nasctl report`, the report.html `nasctl search` writes, and `nasctl pick`
// on real runs: a point element per evaluation in each plot, the front table
// equal to pareto.csv, overlays, LUT checks, byte-identical output, and
// picks that agree with the front's own numbers.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "nasctl/csv.hpp"
#include "nasctl/moo/knee.hpp"
#include "nasctl/report/svg.hpp"
#include "report_fixtures.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

// The text of each <td class="arch"> cell, in order.
std::vector<std::string> arch_cells(const std::string& html) {
  std::vector<std::string> cells;
  const std::string open = "<td class=\"arch\">";
  for (std::size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const std::size_t start = at + open.size();
    cells.push_back(html.substr(start, html.find("</td>", start) - start));
  }
  return cells;
}

std::size_t feasible_rows(const nasctl::CsvTable& t, bool feasible) {
  std::size_t n = 0;
  for (const auto& row : t.rows) n += (row[t.column("feasible")] == "true") == feasible ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("search writes report.html with a point per evaluation and the front table equal to pareto.csv") {
  TempDir dir("report");
  const auto r = search_run(dir, "run", constrained_random_config(), {"--set", "budget.evaluations=35"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Report: " + (dir / "run/report.html") + "\n") != std::string::npos);
  const std::string html = read_text(dir / "run/report.html");
  const nasctl::CsvTable all = nasctl::read_csv(dir / "run/evaluations.csv");
  const nasctl::CsvTable front = nasctl::read_csv(dir / "run/pareto.csv");
  REQUIRE(all.rows.size() == 35);
  REQUIRE(feasible_rows(all, false) > 0);
  REQUIRE(front.rows.size() > 1);

  // Two objectives: one front plot, whose points are every evaluation once.
  CHECK(count_of(html, "<figure class=\"front-plot\">") == 1);
  CHECK(count_of(html, "class=\"pt front r0\"") == front.rows.size());
  CHECK(count_of(html, "class=\"pt feasible r0\"") == feasible_rows(all, true) - front.rows.size());
  CHECK(count_of(html, "class=\"pt infeasible r0\"") == feasible_rows(all, false));
  // The parameter limit is drawn on the parameter axis, and the front's staircase joins its points.
  CHECK(count_of(html, "class=\"constraint r0\"") == 1);
  CHECK(html.find(">max 5e+06</text>") != std::string::npos);
  CHECK(count_of(html, "class=\"staircase r0\"") == 1);
  // Axis titles carry units.
  CHECK(html.find(">cost.params (count)</text>") != std::string::npos);
  CHECK(html.find("Pareto front: cost.macs (MAC) against cost.params (count)") != std::string::npos);

  // Every front point's title names its architecture and metrics.
  std::vector<std::string> titles;
  for (std::size_t at = html.find("class=\"pt front r0\""); at != std::string::npos; at = html.find("class=\"pt front r0\"", at + 1))
    titles.push_back(html.substr(at, html.find("</title>", at) - at));
  for (const auto& row : front.rows) {
    const std::string arch = nasctl::report::xml_escape(row[front.column("arch")]);
    const auto has_arch = [&](const std::string& t) { return t.find("\n" + arch + "\n") != std::string::npos; };
    CHECK_MESSAGE(std::count_if(titles.begin(), titles.end(), has_arch) == 1, arch);
  }
  for (const auto& t : titles) {
    CHECK(t.find("cost.macs = ") != std::string::npos);
    CHECK(t.find(" count\n") != std::string::npos);  // cost.params with its unit
    CHECK(t.find("on the Pareto front") != std::string::npos);
  }

  // The front table: one row per pareto.csv row, same architectures in the same order.
  CHECK(count_of(html, "<tr class=\"front-row\">") == front.rows.size());
  std::vector<std::string> expected;
  for (const auto& row : front.rows) expected.push_back(nasctl::report::xml_escape(row[front.column("arch")]));
  CHECK(arch_cells(html) == expected);

  // Hypervolume, configuration, timings and conditions are there.
  CHECK(count_of(html, "<figure class=\"hv-plot\">") == 1);
  CHECK(count_of(html, "class=\"hv r0\"") == 1);
  CHECK(html.find("<h3>Timings</h3>") != std::string::npos);
  CHECK(html.find("<h3>Measurement conditions</h3>") != std::string::npos);
  CHECK(html.find("plugin = &#39;random&#39;") != std::string::npos);  // the resolved config, escaped
}

TEST_CASE("the report is self-contained and the same run gives the same bytes") {
  TempDir dir("report");
  REQUIRE(search_run(dir, "run", kAnalyticConfig).exit_code == 0);
  const auto a = run_nasctl({"report", dir / "run", "-o", dir / "a.html"});
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == "Report: " + (dir / "a.html") + "\n");
  REQUIRE(run_nasctl({"report", dir / "run", "-o", dir / "b.html"}).exit_code == 0);
  const std::string html = read_text(dir / "a.html");
  CHECK(html == read_text(dir / "b.html"));
  CHECK(html == read_text(dir / "run/report.html"));
  // Nothing to fetch: the only URL is the SVG namespace, once per plot.
  CHECK(count_of(html, "http") == count_of(html, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(count_of(html, "src=") == 0);
  CHECK(count_of(html, "<link") == 0);
  CHECK(count_of(html, "<script>") == 1);
}

TEST_CASE("--no-report leaves report.html out") {
  TempDir dir("report");
  const auto r = search_run(dir, "run", kAnalyticConfig, {"--no-report"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(dir / "run/report.html"));
  CHECK(r.out.find("Report:") == std::string::npos);
}

TEST_CASE("two runs overlay: each run's points in its own colour, one hypervolume plot, a legend entry each") {
  TempDir dir("report");
  REQUIRE(search_run(dir, "nsga2", kAnalyticConfig, {"--no-report"}).exit_code == 0);
  REQUIRE(search_run(dir, "random", config_with("plugin = \"nsga2\"\npopulation = 8", "plugin = \"random\"\nbatch = 7"),
                     {"--no-report", "--set", "budget.evaluations=30"})
              .exit_code == 0);
  const auto r = run_nasctl({"report", dir / "nsga2", dir / "random", "-o", dir / "both.html"});
  REQUIRE(r.exit_code == 0);
  const std::string html = read_text(dir / "both.html");
  for (const auto& [slot, name, evaluations] :
       std::vector<std::tuple<std::string, std::string, std::size_t>>{{"r0", "nsga2", 40}, {"r1", "random", 30}}) {
    INFO(name);
    const std::size_t front = nasctl::read_csv(dir / name + "/pareto.csv").rows.size();
    CHECK(count_of(html, "class=\"pt front " + slot + "\"") == front);
    CHECK(count_of(html, "class=\"pt front " + slot + "\"") + count_of(html, "class=\"pt feasible " + slot + "\"") ==
          evaluations);
    CHECK(count_of(html, "class=\"hv " + slot + "\"") == 1);
    CHECK(html.find("\">" + name + "</text>") != std::string::npos);  // its legend label
    CHECK(html.find("<section id=\"run-" + std::string(slot == "r0" ? "0" : "1") + "\"") != std::string::npos);
  }
  CHECK(count_of(html, "<figure class=\"hv-plot\">") == 1);
  CHECK(count_of(html, "<figure class=\"front-plot\">") == 1);
}

TEST_CASE("a LUT check report renders as predicted against measured, one point per sub-network and prediction") {
  TempDir dir("report");
  const std::string check = std::string(NASCTL_DATA_DIR) + "/luts/ofa_mbv3_w10_r224_h100.csv.check.json";
  const auto samples = nlohmann::json::parse(read_text(check))["samples"].size();
  REQUIRE(samples > 0);
  const auto r = run_nasctl({"report", check, "-o", dir / "lut.html"});
  REQUIRE(r.exit_code == 0);
  const std::string html = read_text(dir / "lut.html");
  CHECK(count_of(html, "class=\"pt lut-sum r0\"") == samples);
  CHECK(count_of(html, "class=\"pt calibrated r1\"") == samples);
  CHECK(count_of(html, "class=\"identity\"") == 2);  // the line and its legend key
  CHECK(html.find("measured latency (ms)") != std::string::npos);
  CHECK(html.find("NVIDIA H100 80GB HBM3") != std::string::npos);
}

TEST_CASE("pick: the knee of pareto.csv by default, the best of a metric with --best, bounded by --where") {
  TempDir dir("report");
  REQUIRE(search_run(dir, "run", kAnalyticConfig, {"--no-report"}).exit_code == 0);
  const nasctl::CsvTable front = nasctl::read_csv(dir / "run/pareto.csv");
  REQUIRE(front.rows.size() > 2);
  const std::size_t macs = front.column("cost.macs"), params = front.column("cost.params");
  // Objectives: cost.macs min, cost.params max (minimisation form: -params).
  nasctl::moo::Points points;
  for (std::size_t i = 0; i < front.rows.size(); ++i) points.push_back({front.number(i, macs), -front.number(i, params)});
  const std::size_t knee = nasctl::moo::knee_point(points);

  const auto r = run_nasctl({"pick", dir / "run", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["arch"] == front.rows[knee][front.column("arch")]);
  CHECK(j["index"].get<std::size_t>() == std::stoul(front.rows[knee][0]));
  CHECK(j["rule"] == "knee point");
  CHECK(j["front"].get<std::size_t>() == front.rows.size());
  CHECK(j["metrics"]["cost.macs"].get<double>() == front.number(knee, macs));

  // --best cost.macs: the smallest MACs of the front (pareto.csv is sorted by the first objective).
  const auto best = run_nasctl({"pick", dir / "run", "--best", "cost.macs", "--json"});
  REQUIRE(best.exit_code == 0);
  CHECK(nlohmann::json::parse(best.out)["arch"] == front.rows[0][front.column("arch")]);

  // --where: a bound between the front's MAC counts keeps only the smaller ones.
  const double bound = front.number(front.rows.size() / 2, macs);
  const auto bounded = run_nasctl({"pick", dir / "run", "--where", "cost.macs<=" + front.rows[front.rows.size() / 2][macs],
                                   "--best", "cost.params", "--json"});
  REQUIRE(bounded.exit_code == 0);
  const auto b = nlohmann::json::parse(bounded.out);
  CHECK(b["metrics"]["cost.macs"].get<double>() <= bound);
  CHECK(b["arch"] == front.rows[front.rows.size() / 2][front.column("arch")]);

  // The text form names the rule, the architecture and each metric with its unit.
  const auto text = run_nasctl({"pick", dir / "run", "--knee"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("the knee point of the front of " + std::to_string(front.rows.size())) != std::string::npos);
  CHECK(text.out.find("arch: " + front.rows[knee][front.column("arch")] + "\n") != std::string::npos);
  CHECK(text.out.find("cost.macs = ") != std::string::npos);
}

TEST_CASE("pick --export writes the picked network with the run's config") {
  TempDir dir("report");
  REQUIRE(search_run(dir, "run", kAnalyticConfig, {"--no-report"}).exit_code == 0);
  const auto r = run_nasctl({"pick", dir / "run", "--json", "--export", dir / "picked.pt"}, "", 120);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);  // stdout holds the JSON alone
  CHECK(read_text(dir / "picked.pt").substr(0, 2) == "PK");
  CHECK(r.err.find(dir / "picked.pt") != std::string::npos);
  CHECK(r.err.find(j["arch"].get<std::string>()) != std::string::npos);
}

TEST_CASE("a run with nothing feasible still gets a report, which says the front is empty") {
  TempDir dir("report");
  const auto r = search_run(dir, "run", constrained_random_config("1.0"));
  REQUIRE(r.exit_code == 0);
  const std::string html = read_text(dir / "run/report.html");
  CHECK(count_of(html, "class=\"pt infeasible r0\"") == 40);
  CHECK(count_of(html, "class=\"pt front r0\"") == 0);
  CHECK(html.find("No feasible architecture: the front is empty.") != std::string::npos);
  CHECK(html.find("no feasible evaluation, so no hypervolume") != std::string::npos);
}

TEST_CASE("runs on different metrics share axes by objective position, three objectives give three front plots") {
  TempDir dir("report");
  REQUIRE(search_run(dir, "macs", kAnalyticConfig, {"--no-report"}).exit_code == 0);
  const std::string memory = config_with("metric = \"cost.macs\"", "metric = \"cost.peak_activation_bytes\"");
  REQUIRE(search_run(dir, "memory", memory, {"--no-report"}).exit_code == 0);
  REQUIRE(run_nasctl({"report", dir / "macs", dir / "memory", "-o", dir / "two.html"}).exit_code == 0);
  const std::string two = read_text(dir / "two.html");
  CHECK(count_of(two, "<figure class=\"front-plot\">") == 1);
  CHECK(two.find(">cost.macs (MAC) / cost.peak_activation_bytes (bytes)</text>") != std::string::npos);
  CHECK(count_of(two, "class=\"pt front r0\"") + count_of(two, "class=\"pt feasible r0\"") == 40);
  CHECK(count_of(two, "class=\"pt front r1\"") + count_of(two, "class=\"pt feasible r1\"") == 40);
  // Different objectives: hypervolumes are not comparable, so each run gets its own plot.
  CHECK(count_of(two, "<figure class=\"hv-plot\">") == 2);

  const std::string three = kAnalyticConfig + "\n[[objectives]]\nmetric = \"cost.peak_activation_bytes\"\ngoal = \"min\"\n";
  REQUIRE(search_run(dir, "three", three).exit_code == 0);
  const std::string html = read_text(dir / "three/report.html");
  CHECK(count_of(html, "<figure class=\"front-plot\">") == 3);
  CHECK(count_of(html, "<circle class=\"pt ") == 3 * 40);
  CHECK(count_of(html, "class=\"pt front r0\"") == 3 * nasctl::read_csv(dir / "three/pareto.csv").rows.size());
  CHECK(count_of(html, "class=\"staircase") == 0);  // a projection of a 3-objective front is no staircase
  CHECK(html.find("Pareto front: cost.macs (MAC) against cost.peak_activation_bytes (bytes)") != std::string::npos);
  CHECK(html.find("Pareto front: cost.params (count) against cost.peak_activation_bytes (bytes)") != std::string::npos);
}
