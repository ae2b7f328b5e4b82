#include "report.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"

namespace nasctl::sample_efficiency {

namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::ofstream open_for_writing(const std::string& path) {
  std::ofstream out(path);
  if (!out) throw DataError(path + ": cannot write; fix: check that the output folder exists and is writable");
  return out;
}

std::vector<std::string> statistics_fields(const std::string& strategy, const SeedStatistics& s) {
  return {strategy,       std::to_string(s.evaluations), std::to_string(s.seeds), fixed(s.mean, 3), fixed(s.std, 3),
          fixed(s.min, 3), fixed(s.max, 3),               fixed(s.median, 3)};
}

const std::vector<std::string> kStatisticsHeader = {"strategy", "evaluations", "seeds", "mean",
                                                    "std",      "min",         "max",   "median"};

std::string optional_count(const std::optional<std::size_t>& n) { return n ? std::to_string(*n) : ""; }

}  // namespace

ReachTarget ReachTarget::parse(const std::string& text) {
  const auto at = text.rfind('@');
  const auto bad = std::invalid_argument("reach target '" + text +
                                         "': expected STRATEGY@EVALUATIONS; fix: e.g. --reach nsga2@500");
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) throw bad;
  ReachTarget target;
  target.strategy = text.substr(0, at);
  try {
    std::size_t used = 0;
    const long n = std::stol(text.substr(at + 1), &used);
    if (used != text.size() - at - 1 || n < 1) throw bad;
    target.evaluations = static_cast<std::size_t>(n);
  } catch (const std::invalid_argument&) {
    throw bad;
  } catch (const std::out_of_range&) {
    throw bad;
  }
  return target;
}

void write_curves(const std::string& path, const std::vector<Strategy>& strategies) {
  auto out = open_for_writing(path);
  write_csv_row(out, kStatisticsHeader);
  for (const auto& strategy : strategies) {
    for (std::size_t n = 1; n <= strategy.longest(); ++n) {
      if (const auto s = strategy.at(n)) write_csv_row(out, statistics_fields(strategy.name, *s));
    }
  }
}

void write_summary(const std::string& path, const std::vector<Strategy>& strategies,
                   const std::vector<std::size_t>& checkpoints) {
  auto out = open_for_writing(path);
  write_csv_row(out, kStatisticsHeader);
  for (const auto& strategy : strategies) {
    for (const std::size_t n : checkpoints) {
      if (const auto s = strategy.at(n)) write_csv_row(out, statistics_fields(strategy.name, *s));
    }
  }
}

void write_runs(const std::string& path, const std::vector<Strategy>& strategies,
                const std::vector<std::size_t>& checkpoints) {
  auto out = open_for_writing(path);
  write_csv_row(out, {"strategy", "file", "evaluations", "hypervolume"});
  for (const auto& strategy : strategies) {
    for (const auto& run : strategy.runs) {
      for (const std::size_t n : checkpoints) {
        if (n >= 1 && n < run.evaluations)
          write_csv_row(out, {strategy.name, run.file, std::to_string(n), fixed(run.hypervolume[n - 1], 3)});
      }
      if (run.evaluations > 0)
        write_csv_row(out, {strategy.name, run.file, std::to_string(run.evaluations), fixed(run.hypervolume.back(), 3)});
    }
  }
}

void write_reach(const std::string& path, const std::vector<Strategy>& strategies,
                 const std::vector<ReachTarget>& targets) {
  auto out = open_for_writing(path);
  write_csv_row(out, {"target", "target_evaluations", "target_hypervolume", "strategy", "mean_curve_evaluations",
                      "factor", "seeds", "seeds_reaching", "seed_median", "seed_min", "seed_max"});
  for (const auto& target : targets) {
    for (const auto& strategy : strategies) {
      const Reach r = reach(strategy, target.hypervolume);
      const std::string factor =
          r.mean_curve ? fixed(static_cast<double>(target.evaluations) / static_cast<double>(*r.mean_curve), 2) : "";
      write_csv_row(out, {target.strategy, std::to_string(target.evaluations), fixed(target.hypervolume, 3),
                          strategy.name, optional_count(r.mean_curve), factor, std::to_string(r.seeds),
                          std::to_string(r.seeds_reaching), r.seed_median ? fixed(*r.seed_median, 1) : "",
                          optional_count(r.seed_min), optional_count(r.seed_max)});
    }
  }
}

void write_fronts(const std::string& path, const std::vector<FrontResult>& fronts) {
  auto out = open_for_writing(path);
  write_csv_row(out, {"label", "evaluations", "hypervolume"});
  for (const auto& front : fronts)
    write_csv_row(out, {front.label, std::to_string(front.evaluations), fixed(front.hypervolume, 3)});
}

std::string markdown(const std::vector<Strategy>& strategies, const std::vector<std::size_t>& checkpoints,
                     const std::vector<ReachTarget>& targets, const std::vector<FrontResult>& fronts) {
  std::ostringstream md;
  md << "| strategy (seeds) |";
  for (const std::size_t n : checkpoints) md << " " << n << " |";
  md << "\n| --- |";
  for (std::size_t i = 0; i < checkpoints.size(); ++i) md << " --- |";
  md << "\n";
  for (const auto& strategy : strategies) {
    md << "| " << strategy.name << " (" << strategy.runs.size() << ") |";
    for (const std::size_t n : checkpoints) {
      const auto s = strategy.at(n);
      if (!s) {
        md << " |";
        continue;
      }
      md << " " << fixed(s->mean, 0) << " ± " << fixed(s->std, 0) << "<br>" << fixed(s->min, 0) << "–"
         << fixed(s->max, 0) << " |";
    }
    md << "\n";
  }

  if (!targets.empty()) {
    md << "\n| target | strategy | evaluations to reach it (mean curve) | factor | seeds reaching it | per seed: median (min–max) |\n"
       << "| --- | --- | --- | --- | --- | --- |\n";
    for (const auto& target : targets) {
      for (const auto& strategy : strategies) {
        const Reach r = reach(strategy, target.hypervolume);
        md << "| " << target.strategy << " @" << target.evaluations << " = " << fixed(target.hypervolume, 0) << " | "
           << strategy.name << " | " << (r.mean_curve ? std::to_string(*r.mean_curve) : "not reached") << " | "
           << (r.mean_curve ? fixed(static_cast<double>(target.evaluations) / static_cast<double>(*r.mean_curve), 1) + "x"
                            : "")
           << " | " << r.seeds_reaching << "/" << r.seeds << " | ";
        if (r.seed_median) md << fixed(*r.seed_median, 0) << " (" << *r.seed_min << "–" << *r.seed_max << ")";
        md << " |\n";
      }
    }
  }

  if (!fronts.empty()) {
    md << "\n| front | evaluations | hypervolume |\n| --- | --- | --- |\n";
    for (const auto& front : fronts)
      md << "| " << front.label << " | " << front.evaluations << " | " << fixed(front.hypervolume, 0) << " |\n";
  }
  return md.str();
}

}  // namespace nasctl::sample_efficiency
