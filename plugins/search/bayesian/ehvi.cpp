#include "ehvi.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "nasctl/moo/hypervolume.hpp"
#include "nasctl/moo/sorting.hpp"
#include "nasctl/rng.hpp"

namespace nasctl::search::bayesian {

namespace {

constexpr double kInvSqrt2Pi = 0.3989422804014327;

// Standard normal draws from the platform-stable uniform helper (Box-Muller),
// so the Monte-Carlo estimate is identical on every standard library.
std::vector<std::vector<double>> normal_draws(int samples, std::size_t dims, uint64_t seed) {
  Rng rng(seed);
  std::vector<std::vector<double>> draws(static_cast<std::size_t>(samples), std::vector<double>(dims));
  for (auto& row : draws) {
    for (std::size_t j = 0; j < dims; j += 2) {
      const double u1 = 1.0 - uniform_unit(rng);  // (0, 1]
      const double u2 = uniform_unit(rng);
      const double radius = std::sqrt(-2.0 * std::log(u1));
      row[j] = radius * std::cos(2.0 * M_PI * u2);
      if (j + 1 < dims) row[j + 1] = radius * std::sin(2.0 * M_PI * u2);
    }
  }
  return draws;
}

}  // namespace

double normal_pdf(double u) { return kInvSqrt2Pi * std::exp(-0.5 * u * u); }

double normal_cdf(double u) { return 0.5 * std::erfc(-u / std::sqrt(2.0)); }

double expected_shortfall(double c, double mean, double sd) {
  if (c == -std::numeric_limits<double>::infinity()) return 0.0;
  if (!(sd > 0.0)) return std::max(c - mean, 0.0);
  const double u = (c - mean) / sd;
  // psi(u) = u Phi(u) + phi(u) cancels badly far in the left tail; there its
  // asymptotic series phi(u) / u^2 (1 - 3 / u^2 + 15 / u^4) is accurate.
  if (u < -8.0) {
    const double inv2 = 1.0 / (u * u);
    return sd * normal_pdf(u) * inv2 * (1.0 - 3.0 * inv2 + 15.0 * inv2 * inv2);
  }
  return sd * (u * normal_cdf(u) + normal_pdf(u));
}

double probability_within(double mean, double sd, double limit, bool at_most) {
  if (!(sd > 0.0)) return (at_most ? mean <= limit : mean >= limit) ? 1.0 : 0.0;
  return at_most ? normal_cdf((limit - mean) / sd) : normal_cdf((mean - limit) / sd);
}

Ehvi::Ehvi(const moo::Points& points, moo::Point reference, int mc_samples, uint64_t seed)
    : reference_(std::move(reference)) {
  if (reference_.empty()) throw std::invalid_argument("ehvi: the reference point has no objectives; fix: give one value per objective");
  for (double r : reference_) {
    if (!std::isfinite(r)) throw std::invalid_argument("ehvi: the reference point must be finite; fix: give finite values");
  }
  if (reference_.size() > 2) {
    if (mc_samples < 1) throw std::invalid_argument("ehvi: needs at least one Monte-Carlo sample; fix: e.g. 128");
    draws_ = normal_draws(mc_samples, reference_.size(), seed);
  }
  rebuild(points);
}

void Ehvi::rebuild(moo::Points points) {
  const std::size_t m = reference_.size();
  moo::Points inside;
  for (auto& p : points) {
    if (p.size() != m) throw std::invalid_argument("ehvi: a point has " + std::to_string(p.size()) + " objectives, the reference " + std::to_string(m));
    bool keep = true;
    for (std::size_t j = 0; j < m; ++j) keep = keep && std::isfinite(p[j]) && p[j] < reference_[j];
    if (keep) inside.push_back(std::move(p));
  }
  front_.clear();
  for (std::size_t i : moo::pareto_front(inside)) front_.push_back(inside[i]);
  std::sort(front_.begin(), front_.end());
  front_.erase(std::unique(front_.begin(), front_.end()), front_.end());
  front_volume_ = m > 2 ? moo::hypervolume(front_, reference_) : 0.0;
}

void Ehvi::add(const moo::Point& point) {
  moo::Points points = front_;
  points.push_back(point);
  rebuild(std::move(points));
}

double Ehvi::operator()(const std::vector<double>& mean, const std::vector<double>& sd) const {
  if (reference_.size() == 1) {
    const double best = front_.empty() ? reference_[0] : front_.front()[0];
    return expected_shortfall(best, mean[0], sd[0]);
  }
  if (reference_.size() == 2) return ehvi_2d(mean, sd);
  return monte_carlo(mean, sd);
}

double Ehvi::improvement(const moo::Point& point) const {
  if (reference_.size() <= 2) return (*this)(point, std::vector<double>(point.size(), 0.0));
  return improvement_any(point);
}

double Ehvi::ehvi_2d(const std::vector<double>& mean, const std::vector<double>& sd) const {
  // Stripe i spans [a, b) in the first objective, where the front leaves
  // (-inf, c) free in the second: left of the front c is the reference.
  const auto p1 = [&](double x) { return expected_shortfall(x, mean[0], sd[0]); };
  double total = 0.0;
  double a_part = 0.0;  // p1 at the stripe's left edge; p1(-inf) = 0
  double c = reference_[1];
  for (std::size_t i = 0; i <= front_.size(); ++i) {
    const double b = i < front_.size() ? front_[i][0] : reference_[0];
    const double b_part = p1(b);
    total += (b_part - a_part) * expected_shortfall(c, mean[1], sd[1]);
    if (i == front_.size()) break;
    a_part = b_part;
    c = front_[i][1];
  }
  return std::max(total, 0.0);
}

double Ehvi::improvement_any(const moo::Point& y) const {
  const std::size_t m = reference_.size();
  double box = 1.0;
  for (std::size_t j = 0; j < m; ++j) {
    if (!(y[j] < reference_[j])) return 0.0;
    box *= reference_[j] - y[j];
  }
  // The front clipped to the box [y, reference]: what of the box it already covers.
  moo::Points clipped;
  clipped.reserve(front_.size());
  for (const auto& p : front_) {
    bool covers_y = true;
    moo::Point q(m);
    for (std::size_t j = 0; j < m; ++j) {
      q[j] = std::max(p[j], y[j]);
      covers_y = covers_y && p[j] <= y[j];
    }
    if (covers_y) return 0.0;  // y is weakly dominated: nothing new
    clipped.push_back(std::move(q));
  }
  return std::max(0.0, box - moo::hypervolume(clipped, reference_));
}

double Ehvi::monte_carlo(const std::vector<double>& mean, const std::vector<double>& sd) const {
  const std::size_t m = reference_.size();
  double sum = 0.0;
  moo::Point y(m);
  for (const auto& z : draws_) {
    for (std::size_t j = 0; j < m; ++j) y[j] = mean[j] + sd[j] * z[j];
    sum += improvement_any(y);
  }
  return sum / static_cast<double>(draws_.size());
}

}  // namespace nasctl::search::bayesian
