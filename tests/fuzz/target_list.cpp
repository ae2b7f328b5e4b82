#include "fuzz_targets.hpp"

namespace nasctl::fuzz {

const std::vector<NamedTarget>& all_targets() {
  static const std::vector<NamedTarget> targets{
      {"config", config},   {"ofa_arch", ofa_arch},       {"hurricane_arch", hurricane_arch},
      {"hurricane_operators", hurricane_operators},
      {"csv", csv},         {"lut", lut},                 {"roofline_profile", roofline_profile},
      {"predictor_model", predictor_model}, {"journal", journal}};
  return targets;
}

}  // namespace nasctl::fuzz
