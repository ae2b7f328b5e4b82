#include "nasctl/report/report.hpp"

#include <filesystem>
#include <memory>

#include "html_sections.hpp"
#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "nasctl/report/hypervolume_curve.hpp"
#include "nasctl/report/lut_check_file.hpp"
#include "nasctl/report/plots.hpp"
#include "nasctl/report/run_folder.hpp"
#include "nasctl/report/svg.hpp"

namespace nasctl::report {

namespace {

// Eight colours a reader tells apart, also in grey print (dark to light).
const char* const kPalette[] = {"#1f5fa8", "#c8372d", "#2e8b3e", "#7a4fb0", "#e08a1e", "#6b4a2f", "#d0559b", "#1b9aaa"};

std::string style() {
  std::string css =
      "body{font:14px/1.45 sans-serif;color:#111;margin:24px auto;max-width:1100px;padding:0 16px}\n"
      "h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px}\n"
      "table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;"
      "vertical-align:top}\n"
      "table.sortable th{cursor:pointer;background:#f3f3f3}td.arch{font-family:monospace;font-size:12px;"
      "word-break:break-all;max-width:420px}\n"
      "pre.config{background:#f7f7f7;padding:8px;overflow:auto}figure{margin:12px 0}\n"
      "span.swatch{display:inline-block;width:12px;height:12px;margin-right:6px}\n";
  for (int k = 0; k < 8; ++k) {
    const std::string c = kPalette[k];
    css += ".r" + std::to_string(k) + "{fill:" + c + ";stroke:" + c + "}span.swatch.r" + std::to_string(k) +
           "{background:" + c + "}\n";
  }
  css +=
      ".pt.feasible{fill-opacity:.45;stroke:none}.pt.infeasible{fill:none;stroke-opacity:.55;stroke-width:1}\n"
      ".pt.front{stroke:#000;stroke-width:1}.pt.lut-sum,.pt.calibrated{fill-opacity:.7;stroke:none}\n"
      ".key.front{fill:#666;stroke:#000}.key.feasible{fill:#666;fill-opacity:.45;stroke:none}"
      ".key.infeasible{fill:none;stroke:#666}\n"
      ".staircase,.hv,.constraint,.identity,.frame{fill:none}.staircase{stroke-width:1.2}.hv{stroke-width:2}\n"
      ".constraint{stroke-dasharray:6 4;stroke-width:1.5}.key.constraint{stroke:#333}.identity{stroke:#888;"
      "stroke-dasharray:4 3}\n"
      ".grid{stroke:#e8e8e8}.frame{stroke:#333}.tick{stroke:#333}\n"
      ".tick-label,.legend-label,.constraint-label{font:11px sans-serif;stroke:none}.tick-label,.legend-label{fill:#333}"
      ".axis-title{font:12px sans-serif;fill:#111}\n";
  return css;
}

// Sorting the front tables: click a header, numbers compare as numbers.
const char* const kSortScript =
    "document.querySelectorAll('table.sortable th').forEach(function (th) {\n"
    "  th.addEventListener('click', function () {\n"
    "    var body = th.closest('table').tBodies[0];\n"
    "    var col = Array.prototype.indexOf.call(th.parentNode.children, th);\n"
    "    var up = th.dataset.order !== 'up';\n"
    "    th.dataset.order = up ? 'up' : 'down';\n"
    "    var rows = Array.prototype.slice.call(body.rows);\n"
    "    rows.sort(function (a, b) {\n"
    "      var x = a.cells[col].textContent, y = b.cells[col].textContent;\n"
    "      var nx = parseFloat(x), ny = parseFloat(y);\n"
    "      var c = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;\n"
    "      return up ? c : -c;\n"
    "    });\n"
    "    rows.forEach(function (r) { body.appendChild(r); });\n"
    "  });\n"
    "});\n";

// A run's label: its folder's name, or the path as given when two runs'
// folders share a name.
std::vector<std::string> run_labels(const std::vector<std::unique_ptr<RunFolder>>& runs) {
  std::vector<std::string> labels;
  for (const auto& r : runs) {
    std::filesystem::path p(r->dir);
    if (p.filename().empty()) p = p.parent_path();
    labels.push_back(p.filename().string().empty() ? r->dir : p.filename().string());
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t k = 0; k < labels.size(); ++k) {
      if (i != k && labels[i] == labels[k] && labels[i] != runs[i]->dir) {
        for (std::size_t m = 0; m < labels.size(); ++m) {
          if (labels[m] == labels[i]) labels[m] = runs[m]->dir;
        }
      }
    }
  }
  return labels;
}

std::string plot_sections(const std::vector<PlotRun>& runs) {
  std::size_t objectives = 0;
  for (const auto& r : runs) objectives = std::max(objectives, r.run->objectives.size());
  std::string h = "<section id=\"fronts\">\n<h2>Pareto fronts</h2>\n";
  if (objectives < 2) h += "<p>The runs have one objective: there is no front to plot.</p>\n";
  h += "<p>Every evaluation is a point (hover for its architecture and metrics): hollow = infeasible, light = "
       "feasible, outlined = on the run's Pareto front; dashed lines are constraints.</p>\n";
  for (std::size_t i = 0; i < objectives; ++i) {
    for (std::size_t j = i + 1; j < objectives; ++j) h += "<figure class=\"front-plot\">\n" + front_plot(runs, j, i) + "</figure>\n";
  }
  h += "</section>\n<section id=\"hypervolume\">\n<h2>Hypervolume against evaluations</h2>\n";
  std::vector<bool> done(runs.size(), false);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (done[i]) continue;
    std::vector<PlotRun> group;
    std::vector<const RunFolder*> folders;
    for (std::size_t k = i; k < runs.size(); ++k) {
      if (done[k] || !same_objectives(*runs[i].run, *runs[k].run)) continue;
      done[k] = true;
      group.push_back(runs[k]);
      folders.push_back(runs[k].run);
    }
    const std::vector<double> reference = common_reference(folders);
    std::string names;
    for (const auto& o : runs[i].run->objectives) names += (names.empty() ? "" : ", ") + std::string(o.maximize ? "max " : "min ") + o.metric;
    if (reference.empty()) {
      h += "<p>" + xml_escape(names) + ": no feasible evaluation, so no hypervolume.</p>\n";
      continue;
    }
    h += "<p>Objectives " + xml_escape(names) +
         ", in minimisation form (maximised metrics negated); the reference point is the run's own (run.json) or, "
         "for runs compared here, the worst of theirs in each objective.</p>\n";
    h += "<figure class=\"hv-plot\">\n" + hypervolume_plot(group, reference) + "</figure>\n";
  }
  return h + "</section>\n";
}

}  // namespace

std::string report_html(const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw Error("report: no input; fix: give one or more run folders or `nasctl lut check --json` files");
  std::vector<std::unique_ptr<RunFolder>> runs;
  std::vector<LutCheck> checks;
  for (const auto& input : inputs) {
    if (is_lut_check_file(input)) {
      checks.push_back(load_lut_check(input));
      continue;
    }
    runs.push_back(std::make_unique<RunFolder>(load_run_folder(input)));
  }
  const std::vector<std::string> labels = run_labels(runs);
  std::vector<PlotRun> plotted;
  for (std::size_t i = 0; i < runs.size(); ++i) plotted.push_back({runs[i].get(), labels[i], i});

  std::string title = "nasctl report";
  for (const auto& input : inputs) title += " " + input;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + xml_escape(title) +
                  "</title>\n<style>\n" + style() + "</style>\n</head>\n<body>\n<h1>nasctl report</h1>\n<ul class=\"inputs\">\n";
  for (std::size_t i = 0; i < runs.size(); ++i)
    h += "<li><a href=\"#run-" + std::to_string(i) + "\"><span class=\"swatch r" + std::to_string(i % 8) + "\"></span>" +
         xml_escape(labels[i]) + "</a> (" + xml_escape(runs[i]->dir) + ")</li>\n";
  for (std::size_t i = 0; i < checks.size(); ++i)
    h += "<li><a href=\"#lut-" + std::to_string(i) + "\">LUT check " + xml_escape(checks[i].file) + "</a></li>\n";
  h += "</ul>\n";
  if (!runs.empty()) h += plot_sections(plotted);
  for (std::size_t i = 0; i < plotted.size(); ++i) h += run_section(plotted[i], "run-" + std::to_string(i));
  for (std::size_t i = 0; i < checks.size(); ++i) h += lut_check_section(checks[i], "lut-" + std::to_string(i));
  return h + "<script>\n" + kSortScript + "</script>\n</body>\n</html>\n";
}

void write_report(const std::vector<std::string>& inputs, const std::string& out_file) {
  write_file_atomically(out_file, report_html(inputs), "the report");
}

}  // namespace nasctl::report
