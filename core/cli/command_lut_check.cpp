// `nasctl lut check`: measures random sub-networks end to end with the named
// hardware instance, compares them with the table's sums (MAPE, share within
// +-10%, Kendall tau), fits the calibration forms (lut/calibration.hpp) and
// reports the figures before and after (in-sample and leave-one-out), writes the report as
// JSON beside the table and, when asked, the calibration into the table.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>


#include "command_lut.hpp"
#include "torch_side_log.hpp"
#include "nasctl/atomic_file.hpp"
#include "nasctl/batch_measurable.hpp"
#include "nasctl/error.hpp"
#include "nasctl/lut/calibration.hpp"
#include "nasctl/lut/lookup_table.hpp"
#include "nasctl/lut/lut_check.hpp"
#include "nasctl/lut/lut_file.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/runtime/progress.hpp"

namespace nasctl::cli::lut_detail {

namespace {

// The machine is often shared: the load average says how much to trust a timing.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(in >> one >> five >> fifteen)) return "unknown";
  return one + " " + five + " " + fifteen;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Network {
  std::string arch;
  NetworkSpec spec;
  lut::NetworkSum lut;
};

// Samples and prices every network before measuring any: a table that lacks
// a signature fails in a second, not after N measurements.
std::vector<Network> sample_networks(const SearchSpace& space, const lut::LookupTable& table, std::size_t n,
                                     uint64_t seed, const std::string& lut_file, const std::string& config_file) {
  Rng rng(seed);
  std::vector<Network> networks;
  for (std::size_t i = 0; i < n; ++i) {
    Network net;
    const Architecture arch = space.canonicalize(space.sample(rng));
    net.arch = space.to_string(arch);
    net.spec = space.lower(arch);
    const lut::NetworkSum sum = table.sum(net.spec);
    if (!sum.complete())
      throw EvaluationError("lut check: " + lut_file + ": sub-network " + std::to_string(i + 1) + " '" + net.arch +
                            "': " + table.unusable_report(net.spec) + "; fix: run `nasctl lut build -c " + config_file +
                            " --hardware NAME -o " + lut_file + "` to measure them (it retries failed rows)");
    net.lut = sum;
    networks.push_back(std::move(net));
  }
  return networks;
}

void warn_if_measured_elsewhere(const lut::LutFile& table, const LutSession& s, const std::string& metric) {
  const std::string here_hw = hardware_line(s, metric).substr(std::string("# hardware: ").size());
  const std::string here_cond = conditions_line(s).substr(std::string("# conditions:").size());
  const std::string there_hw = table.comment_value("hardware");
  std::string there_cond = table.comment_value("conditions");
  if (!there_hw.empty() && there_hw != here_hw)
    log_warn("lut check: " + table.path + " was measured on '" + there_hw + "', this check measures on '" + here_hw +
             "'");
  if (!there_cond.empty() && " " + there_cond != here_cond)
    log_warn("lut check: " + table.path + " was measured under other conditions than this check's (compare its "
             "'# conditions:' line with run.json of a run on '" + s.hardware->instance + "')");
}

}  // namespace

int run_lut_check(const LutOptions& options) {
  const LutSession s = open_lut_session(options);
  const SearchSpace& space = *s.session->space;
  lut::LutFile file = lut::read_lut(options.lut_file);
  warn_if_measured_elsewhere(file, s, options.metric);
  const std::optional<lut::Calibration> current = file.calibration;
  const lut::LookupTable table(std::move(file));
  const uint64_t seed = options.seed ? *options.seed : s.session->config.seed;
  const std::string load_before = load_average();

  std::vector<Network> networks =
      sample_networks(space, table, options.networks, seed, options.lut_file, s.session->config.file);
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  // Several passes measure every network once per pass, in turn; each
  // network's figure is the median of its passes. A plugin that measures
  // batches (nasctl::BatchMeasurable, e.g. `measure`) gets a whole pass at
  // once and interleaves its networks, so that a change of load during the
  // pass hits all of them alike; others measure one network after another.
  const std::size_t passes = options.passes, total = passes * networks.size();
  runtime::Progress bar(total, 0.0, !options.no_progress && ::isatty(STDERR_FILENO), "network measurements", "done");
  std::vector<std::vector<double>> measured(networks.size()), ci(networks.size());
  const auto keep = [&](std::size_t i, const Metrics& m) {
    measured[i].push_back(metric_value(m, options.metric, s.hardware->instance));
    const auto it = m.find("latency_ci_percent");
    if (it != m.end()) ci[i].push_back(it->second);
  };
  std::size_t done = 0;
  const auto step = [&] {
    ++done;
    if (bar.due(elapsed()) || done == total) bar.update(done, done, std::nan(""), elapsed());
  };
  const auto failed = [&](std::size_t i, const std::string& why) {
    return EvaluationError("lut check: measuring '" + networks[i].arch + "' on '" + s.hardware->instance + "': " + why);
  };
  auto* batch = dynamic_cast<BatchMeasurable*>(s.model);
  std::vector<const NetworkSpec*> specs;
  for (const Network& n : networks) specs.push_back(&n.spec);
  for (std::size_t pass = 0; pass < passes; ++pass) {
    if (batch) {
      const std::vector<BatchMeasurable::Outcome> outcomes = batch->evaluate_batch(specs, [&](std::size_t) { step(); });
      for (std::size_t i = 0; i < networks.size(); ++i) {
        if (!outcomes.at(i).error.empty()) throw failed(i, outcomes[i].error);
        keep(i, outcomes[i].metrics);
      }
      continue;
    }
    for (std::size_t i = 0; i < networks.size(); ++i) {
      try {
        keep(i, s.model->evaluate(networks[i].spec));
      } catch (const Error& e) {
        throw failed(i, e.what());
      }
      step();
    }
  }
  std::vector<lut::CheckSample> samples;
  for (std::size_t i = 0; i < networks.size(); ++i)
    samples.push_back({networks[i].arch, networks[i].lut, median(measured[i]),
                       passes > 1 ? measured[i] : std::vector<double>{}, ci[i]});
  bar.finish();

  const lut::CheckReport report = lut::analyse_check(std::move(samples), current);
  std::printf("lut check: %s against '%s' (%s), seed %llu, load average %s\n", options.lut_file.c_str(),
              s.hardware->instance.c_str(), options.metric.c_str(), static_cast<unsigned long long>(seed),
              load_average().c_str());
  std::fputs(lut::check_text(report).c_str(), stdout);

  std::map<std::string, std::string> info{{"lut", options.lut_file},
                                          {"config", s.session->config.file},
                                          {"hardware", s.hardware->instance},
                                          {"hardware_plugin", s.hardware->plugin->descriptor.info.name},
                                          {"metric", options.metric},
                                          {"seed", std::to_string(seed)},
                                          {"passes", std::to_string(passes)},
                                          {"networks", std::to_string(report.samples.size())},
                                          {"seconds", lut::number_text(elapsed())},
                                          {"load_average_before", load_before},
                                          {"load_average_after", load_average()},
                                          {"nasctl", NASCTL_VERSION}};
  for (const auto& [key, value] : s.model->conditions()) info["condition." + key] = value;
  const std::string json_file = options.json_file.empty() ? options.lut_file + ".check.json" : options.json_file;
  write_file_atomically(json_file, lut::check_json(report, info), "the report");
  std::printf("wrote %s\n", json_file.c_str());

  if (!options.write_calibration) return 0;
  char note[160];
  std::snprintf(note, sizeof note,
                "nasctl lut check: form \"%s\", n=%zu seed=%llu, leave-one-out within_10=%.3f tau=%.3f",
                report.fit.best().form.c_str(), report.samples.size(), static_cast<unsigned long long>(seed),
                report.fitted_loo.within_10, report.fitted_loo.kendall_tau);
  lut::write_calibration(options.lut_file, report.fitted, note);
  std::printf("wrote the calibration (form \"%s\": %s) into %s\n", report.fit.best().form.c_str(),
              lut::calibration_terms(report.fitted).c_str(),
              options.lut_file.c_str());
  return 0;
}

}  // namespace nasctl::cli::lut_detail
