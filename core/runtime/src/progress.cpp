#include "nasctl/runtime/progress.hpp"

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

namespace nasctl::runtime {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

Progress::Progress(std::size_t budget_evaluations, double budget_seconds, bool terminal, std::string unit,
                   std::string ok_word)
    : budget_evaluations_(budget_evaluations), budget_seconds_(budget_seconds), terminal_(terminal),
      unit_(std::move(unit)), ok_word_(std::move(ok_word)) {}

std::string Progress::line(std::size_t done, std::size_t feasible, double hv, double elapsed) const {
  double fraction = 0.0;
  if (budget_evaluations_ > 0) fraction = static_cast<double>(done) / static_cast<double>(budget_evaluations_);
  if (budget_seconds_ > 0) fraction = std::max(fraction, elapsed / budget_seconds_);
  fraction = std::min(1.0, fraction);
  const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : NAN;
  std::string hv_text;  // only once a front exists (searches)
  if (std::isfinite(hv)) {
    char text[48];
    std::snprintf(text, sizeof text, ", hypervolume %.4g", hv);
    hv_text = text;
  }
  char buf[320];
  const std::string total = budget_evaluations_ ? std::to_string(budget_evaluations_) : std::string("?");
  std::snprintf(buf, sizeof buf, "%zu/%s %s, %zu %s%s, elapsed %s, ETA %s", done, total.c_str(), unit_.c_str(), feasible,
                ok_word_.c_str(), hv_text.c_str(), format_duration(elapsed).c_str(), format_duration(eta).c_str());
  if (!terminal_) return buf;
  const int width = 24;
  const int filled = static_cast<int>(fraction * width);
  std::string bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
  return bar + buf;
}

bool Progress::due(double elapsed) const {
  // A terminal bar redraws 5 times a second; log lines every 10 seconds.
  return elapsed - last_shown_ >= (terminal_ ? 0.2 : 10.0);
}

void Progress::update(std::size_t done, std::size_t feasible, double hypervolume, double elapsed) {
  last_shown_ = elapsed;
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s", line(done, feasible, hypervolume, elapsed).c_str());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  spdlog::info("{}", line(done, feasible, hypervolume, elapsed));
}

void Progress::finish() {
  if (terminal_ && drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

}  // namespace nasctl::runtime
