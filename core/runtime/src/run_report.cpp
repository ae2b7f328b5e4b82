#include "nasctl/runtime/run_report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

#include <nlohmann/json.hpp>

#include "nasctl/moo/hypervolume.hpp"

namespace nasctl::runtime {

namespace {

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json plugin_json(const LoadedPlugin& p, const std::string& role, const std::string& instance) {
  return {{"role", role},
          {"instance", instance},
          {"name", p.descriptor.info.name},
          {"version", p.descriptor.info.version},
          {"kind", to_string(p.descriptor.kind)},
          {"file", p.file}};
}

nlohmann::json record_json(const EvaluationRecord& r) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [k, v] : r.metrics) metrics[k] = finite_or_null(v);
  return {{"index", r.index}, {"arch", r.canonical}, {"metrics", metrics}, {"violation", finite_or_null(r.violation)}};
}

}  // namespace

std::vector<std::size_t> least_violating(const std::vector<EvaluationRecord>& scores, std::size_t n) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!scores[i].feasible()) idx.push_back(i);
  }
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return scores[a].violation < scores[b].violation; });
  if (idx.size() > n) idx.resize(n);
  return idx;
}

std::string run_json(const RunReport& r) {
  const Session& s = r.session;
  nlohmann::json j;
  j["run_format_version"] = kRunFormatVersion;
  j["nasctl_version"] = NASCTL_VERSION;
  j["command"] = r.command_line;
  j["config_file"] = s.config.file;
  j["config_toml"] = s.config.resolved_toml;
  j["seed"] = s.config.seed;
  j["out"] = r.summary.out_dir;

  nlohmann::json plugins = nlohmann::json::array();
  plugins.push_back(plugin_json(*s.space_plugin, "space", "space"));
  plugins.push_back(plugin_json(*s.search_plugin, "search", "search"));
  nlohmann::json providers = nlohmann::json::object();
  for (const auto& p : s.providers) {
    plugins.push_back(plugin_json(*p.plugin, to_string(p.plugin->descriptor.kind), p.instance));
    nlohmann::json metrics = nlohmann::json::array();
    for (const auto& m : p.metrics) metrics.push_back({{"name", p.instance + "." + m.name}, {"unit", m.unit}, {"description", m.description}});
    providers[p.instance] = {{"plugin", p.plugin->descriptor.info.name}, {"metrics", metrics}, {"conditions", p.provider->conditions()}};
  }
  j["plugins"] = plugins;
  j["providers"] = providers;

  nlohmann::json objectives = nlohmann::json::array();
  for (const auto& o : s.problem.objectives) objectives.push_back({{"metric", o.metric}, {"goal", o.goal == Goal::Maximize ? "max" : "min"}});
  nlohmann::json constraints = nlohmann::json::array();
  for (const auto& c : s.problem.constraints)
    constraints.push_back({{"metric", c.metric}, {c.bound == Bound::AtMost ? "max" : "min", c.limit}});
  j["objectives"] = objectives;
  j["constraints"] = constraints;
  j["budget"] = {{"evaluations", s.config.budget_evaluations}, {"seconds", s.config.budget_seconds}};

  double evaluation_seconds = 0.0;
  for (const auto& rec : r.records) evaluation_seconds += rec.seconds;
  j["timings"] = {{"started", r.started},
                  {"finished", r.finished},
                  {"run_seconds", r.elapsed_seconds},
                  {"this_session_seconds", r.session_seconds},
                  {"evaluation_seconds", evaluation_seconds},
                  {"strategy_seconds", r.strategy_seconds}};
  j["stop_reason"] = r.summary.stop_reason;
  j["evaluations"] = r.summary.evaluations;
  j["replayed_from_journal"] = r.summary.replayed;
  j["feasible"] = r.summary.feasible;
  j["pareto_size"] = r.front.size();

  if (!r.reference.empty() && !r.front.empty()) {
    moo::Points front;
    for (std::size_t i : r.front) front.push_back(r.records[i].objectives);
    j["hypervolume"] = {{"value", moo::hypervolume(front, r.reference)},
                        {"reference_minimised", r.reference},
                        {"note", "objectives in minimisation form (maximised metrics negated); reference fixed from the first feasible results"}};
  }
  if (r.front.empty()) {
    nlohmann::json closest = nlohmann::json::array();
    for (std::size_t i : least_violating(r.records, 5)) closest.push_back(record_json(r.records[i]));
    j["least_violating"] = closest;
  }
  if (r.ranks && !r.ranks->empty()) {
    // Who evaluated what: each rank's host and device, and how many of the
    // run's evaluations it made (replayed ones count for the rank that first
    // made them; rank 0 only coordinates).
    nlohmann::json ranks = nlohmann::json::array();
    for (const RankInfo& k : *r.ranks) {
      std::size_t made = 0;
      for (const auto& rec : r.records) made += rec.rank == k.rank ? 1 : 0;
      ranks.push_back({{"rank", k.rank},
                       {"host", k.host},
                       {"pid", k.pid},
                       {"local_rank", k.local_rank},
                       {"cuda_visible_devices", k.cuda_visible_devices},
                       {"role", k.rank == 0 ? "coordinator" : "worker"},
                       {"evaluations", made}});
      // A worker's own providers' conditions (its device, its threads);
      // rank 0's are under "providers".
      if (k.rank != 0) ranks.back()["conditions"] = k.conditions;
    }
    j["distributed"] = {{"world_size", r.ranks->size()}, {"workers", r.ranks->size() - 1}, {"ranks", ranks}};
  }
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  j["host"] = {{"hostname", host}, {"hardware_threads", std::thread::hardware_concurrency()}};
  return j.dump(2) + "\n";
}

}  // namespace nasctl::runtime
