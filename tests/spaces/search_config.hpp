// The run config the spaces' CLI tests write: seed 3, random search over
// `evaluations` networks of `space` (its keys in `space_keys`), an analytic
// hardware model named "cost", then `rest` (more hardware, objectives).
#pragma once

#include <string>

namespace nasctl::test {

inline std::string search_config(const std::string& space, const std::string& space_keys, int evaluations,
                                 const std::string& rest) {
  return "seed = 3\n\n[space]\nplugin = \"" + space + "\"\n" + space_keys + "\n[search]\nplugin = \"random\"\n\n" +
         "[budget]\nevaluations = " + std::to_string(evaluations) +
         "\n\n[[hardware]]\nname = \"cost\"\nplugin = \"analytic\"\n\n" + rest;
}

// The name measure_objectives gives its model on `device`.
inline std::string measure_name(const std::string& device) { return device == "cuda" ? "gpu" : "cpu"; }

// A `measure` model on `device`, named by measure_name (one thread, 1
// warm-up, 3 repeats, no confidence target), and two objectives: cost.macs
// (`macs_goal`) and that model's latency_ms (min).
inline std::string measure_objectives(const std::string& macs_goal = "min", const std::string& device = "cpu") {
  const std::string name = measure_name(device);
  return "[[hardware]]\nname = \"" + name + "\"\nplugin = \"measure\"\ndevice = \"" + device +
         "\"\nthreads = 1\nwarmup = 1\nrepeats = 3\nci_target_percent = 0\n\n[[objectives]]\nmetric = \"cost.macs\"\n"
         "goal = \"" + macs_goal + "\"\n\n[[objectives]]\nmetric = \"" + name + ".latency_ms\"\ngoal = \"min\"\n";
}

// A lookup-table model named "table" reading `file`, and its latency as the
// one objective.
inline std::string lut_objective(const std::string& file = "macs.csv") {
  return "[[hardware]]\nname = \"table\"\nplugin = \"lut\"\nfile = \"" + file +
         "\"\n\n[[objectives]]\nmetric = \"table.latency_ms\"\ngoal = \"min\"\n";
}

// One objective on the analytic model's MACs, for configs only validated.
inline const std::string kMacsObjective = "[[objectives]]\nmetric = \"cost.macs\"\ngoal = \"min\"\n";

}  // namespace nasctl::test
