// Expected hypervolume improvement (EHVI) of a candidate whose objectives are
// independent Gaussians N(mean_j, sd_j^2), against a Pareto front and a
// reference point; every objective minimised.
//
//   1 objective:  expected improvement below min(best, reference) (EHVI in 1-D).
//   2 objectives: exact closed form. The region the front does not dominate
//                 (inside the reference) is a union of vertical stripes, one
//                 per front point plus one left of the front; on each stripe
//                 [a, b) x (-inf, c) the integrand P(Y <= z) factorises, and
//                 int_{-inf}^{c} Phi((z - mu) / s) dz = s psi((c - mu) / s),
//                 psi(u) = u Phi(u) + phi(u). So EHVI = sum over stripes of
//                 (P1(b) - P1(a)) P2(c), P(c) = s psi((c - mu) / s): O(front)
//                 per candidate (the 2-D case of Emmerich, Deutz & Klinkenberg
//                 2011 and Yang et al. 2019's box decomposition).
//   3+ objectives: Monte-Carlo EHVI with common random numbers: a fixed set
//                 of standard-normal draws (seeded), so the estimate is a
//                 deterministic, smooth function of (mean, sd) that the inner
//                 search can rank candidates by; each draw's improvement is
//                 exact (box volume minus the hypervolume of the front clipped
//                 to it).
#pragma once

#include <cstdint>
#include <vector>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::search::bayesian {

// Standard normal density and distribution function.
double normal_pdf(double u);
double normal_cdf(double u);
// int_{-inf}^{c} Phi((z - mean) / sd) dz; max(c - mean, 0) when sd = 0.
double expected_shortfall(double c, double mean, double sd);

class Ehvi {
 public:
  // `points`: observed objective vectors (any, dominated or not); only the
  // non-dominated ones that strictly dominate `reference` form the front.
  // `mc_samples` and `seed` matter only for 3+ objectives.
  Ehvi(const moo::Points& points, moo::Point reference, int mc_samples = 128, uint64_t seed = 1);

  // Expected improvement of the front's hypervolume by one new point.
  double operator()(const std::vector<double>& mean, const std::vector<double>& sd) const;
  // Exact improvement by a known point (sd = 0).
  double improvement(const moo::Point& point) const;
  // Adds a point to the front (a batch's believed outcome); no-op when it is
  // dominated or outside the reference.
  void add(const moo::Point& point);

  bool exact() const { return reference_.size() <= 2; }
  const moo::Points& front() const { return front_; }
  const moo::Point& reference() const { return reference_; }

 private:
  void rebuild(moo::Points points);
  double ehvi_2d(const std::vector<double>& mean, const std::vector<double>& sd) const;
  double monte_carlo(const std::vector<double>& mean, const std::vector<double>& sd) const;
  double improvement_any(const moo::Point& point) const;

  moo::Point reference_;
  moo::Points front_;  // non-dominated, inside the reference; 2-D: first objective ascending
  double front_volume_ = 0.0;
  std::vector<std::vector<double>> draws_;  // mc_samples x objectives, 3+ objectives only
};

// Probability that a metric predicted N(mean, sd^2) is <= limit (at_most) or
// >= limit (at least); a step function when sd = 0.
double probability_within(double mean, double sd, double limit, bool at_most);

}  // namespace nasctl::search::bayesian
