#include "input_checks.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace nasctl::moo::detail {
namespace {

// NaN compares false with everything, which would silently corrupt every
// sort below (std::sort needs a strict weak order), so it is refused early.
void check_point(const Points& points, std::size_t index, std::size_t objectives,
                 std::size_t first_index, const char* caller) {
  const Point& point = points[index];
  if (point.size() != objectives) {
    throw std::invalid_argument(std::string(caller) + ": point " + std::to_string(index) + " has " +
                                std::to_string(point.size()) + " objectives but point " +
                                std::to_string(first_index) + " has " + std::to_string(objectives) +
                                "; fix: give every point the same objectives in the same order");
  }
  for (std::size_t objective = 0; objective < objectives; ++objective) {
    if (std::isnan(point[objective])) {
      throw std::invalid_argument(std::string(caller) + ": point " + std::to_string(index) +
                                  ", objective " + std::to_string(objective) +
                                  " is NaN; fix: give failed evaluations +inf (the worst value)");
    }
  }
}

}  // namespace

std::size_t checked_objective_count(const Points& points, const char* caller) {
  if (points.empty()) return 0;
  const std::size_t objectives = points.front().size();
  for (std::size_t i = 0; i < points.size(); ++i) check_point(points, i, objectives, 0, caller);
  return objectives;
}

std::size_t checked_objective_count(const Points& points, const std::vector<std::size_t>& indices,
                                    const char* caller) {
  for (std::size_t index : indices) {
    if (index >= points.size()) {
      throw std::invalid_argument(std::string(caller) + ": index " + std::to_string(index) +
                                  " is outside the " + std::to_string(points.size()) +
                                  " points; fix: pass indices into the same point set");
    }
  }
  if (indices.empty()) return 0;
  const std::size_t objectives = points[indices.front()].size();
  for (std::size_t index : indices) check_point(points, index, objectives, indices.front(), caller);
  return objectives;
}

void check_reference(const Point& reference, std::size_t objectives, const char* caller) {
  if (reference.size() != objectives) {
    throw std::invalid_argument(std::string(caller) + ": the reference has " +
                                std::to_string(reference.size()) + " values but the points have " +
                                std::to_string(objectives) +
                                " objectives; fix: give the reference one value per objective");
  }
  for (std::size_t objective = 0; objective < objectives; ++objective) {
    if (!std::isfinite(reference[objective])) {
      throw std::invalid_argument(
          std::string(caller) + ": reference value " + std::to_string(objective) +
          " is not finite; fix: use a finite value worse than every point that should count");
    }
  }
}

}  // namespace nasctl::moo::detail
