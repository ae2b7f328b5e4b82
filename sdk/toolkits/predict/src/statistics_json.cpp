#include "statistics_json.hpp"

#include <cmath>

namespace nasctl::predict::detail {

nlohmann::json statistics_json(const Statistics& s) {
  auto finite = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  return {{"n", s.n},
          {"kendall_tau", finite(s.kendall_tau)},
          {"rmse", finite(s.rmse)},
          {"mape", finite(s.mape)},
          {"within_10", finite(s.within_10)},
          {"r_squared", finite(s.r_squared)}};
}

Statistics statistics_from_json(const nlohmann::json& j) {
  auto number = [&](const char* key) {
    const auto& v = j.at(key);
    return v.is_null() ? std::nan("") : v.get<double>();
  };
  Statistics s;
  s.n = j.at("n").get<std::size_t>();
  s.kendall_tau = number("kendall_tau");
  s.rmse = number("rmse");
  s.mape = number("mape");
  s.within_10 = number("within_10");
  s.r_squared = number("r_squared");
  return s;
}

}  // namespace nasctl::predict::detail
