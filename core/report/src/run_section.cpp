#include <string>
#include <utility>
#include <vector>

#include "html_sections.hpp"
#include "nasctl/report/svg.hpp"

namespace nasctl::report {

namespace {

using Rows = std::vector<std::pair<std::string, std::string>>;

// run.json values as text: strings as they are, numbers and the rest as JSON.
std::string json_text(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_float()) return format_value(j.get<double>());
  return j.dump();
}

std::string value_of(const nlohmann::json& run, const char* key) {
  return run.contains(key) ? json_text(run.at(key)) : "n/a";
}

std::string summary(const PlotRun& r) {
  const RunFolder& run = *r.run;
  const nlohmann::json& j = run.run;
  Rows rows{{"folder", run.dir}};
  if (j.contains("plugins")) {
    for (const auto& p : j["plugins"])
      rows.emplace_back(p.value("role", "") + (p.value("instance", "") == p.value("role", "") ? "" : " " + p.value("instance", "")),
                        p.value("name", "") + " " + p.value("version", ""));
  }
  for (const auto& o : run.objectives) rows.emplace_back("objective", (o.maximize ? "maximise " : "minimise ") + run.metric_title(o.metric));
  for (const auto& c : run.constraints)
    rows.emplace_back("constraint", run.metric_title(c.metric) + (c.at_most ? " <= " : " >= ") + format_value(c.limit));
  rows.emplace_back("stop reason", value_of(j, "stop_reason"));
  rows.emplace_back("evaluations", value_of(j, "evaluations"));
  rows.emplace_back("feasible", value_of(j, "feasible"));
  rows.emplace_back("Pareto front", std::to_string(run.front.size()) + " architectures");
  if (j.contains("hypervolume")) rows.emplace_back("hypervolume", json_text(j["hypervolume"].value("value", nlohmann::json())));
  rows.emplace_back("seed", value_of(j, "seed"));
  rows.emplace_back("command", value_of(j, "command"));
  rows.emplace_back("nasctl", value_of(j, "nasctl_version"));
  if (j.contains("host")) rows.emplace_back("host", json_text(j["host"].value("hostname", nlohmann::json())) + ", " +
                                                        json_text(j["host"].value("hardware_threads", nlohmann::json())) + " hardware threads");
  return key_value_table(rows, "summary");
}

std::string front_table(const RunFolder& run) {
  std::string h = "<table class=\"sortable front\">\n<thead><tr><th>#</th><th>arch</th>";
  for (const auto& m : run.metrics) h += "<th>" + xml_escape(run.metric_title(m)) + "</th>";
  h += "</tr></thead>\n<tbody>\n";
  for (std::size_t position : run.front) {
    const Evaluation& e = run.evaluations[position];
    h += "<tr class=\"front-row\"><td>" + std::to_string(e.index) + "</td><td class=\"arch\">" + xml_escape(e.arch) + "</td>";
    for (double v : e.values) h += "<td>" + format_value(v) + "</td>";
    h += "</tr>\n";
  }
  return h + "</tbody>\n</table>\n";
}

std::string conditions(const RunFolder& run) {
  if (!run.run.contains("providers")) return "";
  std::string h;
  for (const auto& [instance, provider] : run.run["providers"].items()) {
    Rows rows;
    if (provider.contains("conditions") && provider["conditions"].is_object()) {
      for (const auto& [k, v] : provider["conditions"].items()) rows.emplace_back(k, json_text(v));
    }
    h += "<h4>" + xml_escape(instance) + " (" + xml_escape(provider.value("plugin", "")) + ")</h4>\n";
    h += rows.empty() ? "<p>No conditions reported.</p>\n" : key_value_table(rows, "conditions");
  }
  return h;
}

}  // namespace

std::string key_value_table(const Rows& rows, const std::string& css_class) {
  std::string h = "<table class=\"" + xml_escape(css_class) + "\">\n";
  for (const auto& [k, v] : rows) h += "<tr><th>" + xml_escape(k) + "</th><td>" + xml_escape(v) + "</td></tr>\n";
  return h + "</table>\n";
}

std::string run_section(const PlotRun& r, const std::string& id) {
  const RunFolder& run = *r.run;
  std::string h = "<section id=\"" + id + "\" class=\"run-details\">\n<h2><span class=\"swatch r" +
                  std::to_string(r.slot % 8) + "\"></span>Run " + xml_escape(r.label) + "</h2>\n";
  h += summary(r);
  h += "<h3>Pareto front (" + std::to_string(run.front.size()) + ", from pareto.csv; click a column to sort)</h3>\n";
  h += run.front.empty() ? "<p>No feasible architecture: the front is empty.</p>\n" : front_table(run);
  h += "<h3>Timings</h3>\n";
  Rows timings;
  if (run.run.contains("timings"))
    for (const auto& [k, v] : run.run["timings"].items()) timings.emplace_back(k, json_text(v));
  h += key_value_table(timings, "timings");
  h += "<h3>Measurement conditions</h3>\n" + conditions(run);
  h += "<h3>Configuration</h3>\n<pre class=\"config\">" + xml_escape(run.run.value("config_toml", "")) + "</pre>\n";
  return h + "</section>\n";
}

std::string lut_check_section(const LutCheck& check, const std::string& id) {
  std::string h = "<section id=\"" + id + "\" class=\"lut-check\">\n<h2>LUT check " + xml_escape(check.file) + "</h2>\n";
  h += "<p>" + std::to_string(check.samples.size()) +
       " sub-networks measured end to end, against the lookup table's prediction (hover a point for its architecture).</p>\n";
  h += "<figure>\n" + lut_check_plot(check) + "</figure>\n";
  h += "<table class=\"figures\">\n<thead><tr><th>prediction</th>";
  if (!check.figures.empty())
    for (const auto& [name, value] : check.figures.front().values) h += "<th>" + xml_escape(name) + "</th>";
  h += "</tr></thead>\n<tbody>\n";
  for (const auto& f : check.figures) {
    h += "<tr><td>" + xml_escape(f.label) + "</td>";
    for (const auto& [name, value] : f.values) h += "<td>" + format_value(value) + "</td>";
    h += "</tr>\n";
  }
  h += "</tbody>\n</table>\n<h3>Conditions</h3>\n";
  Rows info(check.info.begin(), check.info.end());
  h += key_value_table(info, "conditions");
  return h + "</section>\n";
}

}  // namespace nasctl::report
