#include "hv_curves.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/moo/hypervolume.hpp"

namespace nasctl::sample_efficiency {

namespace {

bool strictly_dominates_reference(const moo::Point& p, const moo::Point& reference) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] < reference[i])) return false;
  }
  return true;
}

bool weakly_dominates(const moo::Point& a, const moo::Point& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
  }
  return true;
}

// The non-dominated points seen so far that lie inside the reference box.
// Why an archive: a prefix curve over n evaluations would otherwise cost n
// hypervolume computations of up to n points; the volume only changes when a
// point enters the archive, and the archive stays small (the front).
class FrontArchive {
 public:
  explicit FrontArchive(moo::Point reference) : reference_(std::move(reference)) {}

  // Adds `p`; returns true when the archive (hence the volume) changed.
  bool add(const moo::Point& p) {
    if (!strictly_dominates_reference(p, reference_)) return false;
    for (const auto& q : points_) {
      if (weakly_dominates(q, p)) return false;
    }
    points_.erase(std::remove_if(points_.begin(), points_.end(), [&](const moo::Point& q) { return weakly_dominates(p, q); }),
                  points_.end());
    points_.push_back(p);
    volume_ = moo::hypervolume(points_, reference_);
    return true;
  }

  double volume() const { return volume_; }
  const moo::Points& points() const { return points_; }

 private:
  moo::Point reference_;
  moo::Points points_;
  double volume_ = 0.0;
};

}  // namespace

ObjectiveColumn ObjectiveColumn::parse(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument("objective '" + text + "': " + why +
                                 "; fix: write metric:max or metric:min, optionally :scale, e.g. cost.macs:min:1e-6");
  };
  const auto first = text.find(':');
  if (first == std::string::npos || first == 0) throw bad("no goal");
  const auto second = text.find(':', first + 1);
  ObjectiveColumn column;
  column.metric = text.substr(0, first);
  const std::string goal = text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  if (goal != "max" && goal != "min") throw bad("goal '" + goal + "' is neither max nor min");
  column.maximise = goal == "max";
  if (second == std::string::npos) return column;
  try {
    std::size_t used = 0;
    column.scale = std::stod(text.substr(second + 1), &used);
    if (used != text.size() - second - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw bad("scale '" + text.substr(second + 1) + "' is not a number");
  }
  if (!(column.scale > 0.0) || !std::isfinite(column.scale)) throw bad("scale must be a positive number");
  return column;
}

moo::Point minimised_reference(const std::vector<ObjectiveColumn>& objectives, const std::vector<double>& natural) {
  if (natural.size() != objectives.size())
    throw std::invalid_argument("reference: " + std::to_string(natural.size()) + " values for " +
                                std::to_string(objectives.size()) +
                                " objectives; fix: give one value per --objective, in the same order");
  moo::Point reference;
  // The reference is already in the scaled unit: only the sign changes.
  for (std::size_t i = 0; i < natural.size(); ++i) reference.push_back(objectives[i].maximise ? -natural[i] : natural[i]);
  return reference;
}

RunCurve read_run(const std::string& strategy, const std::string& file, const std::vector<ObjectiveColumn>& objectives,
                  const moo::Point& reference) {
  const CsvTable table = read_csv(file);
  const std::size_t index_column = table.column("index");
  const std::size_t feasible_column = table.column("feasible");
  std::vector<std::size_t> value_columns;
  for (const auto& objective : objectives) value_columns.push_back(table.column(objective.metric));

  // Evaluation order is the `index` column (the run loop writes rows in that
  // order already; sorting keeps a reordered file correct).
  std::vector<std::size_t> order(table.rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> index(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) index[r] = table.number(r, index_column);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return index[a] < index[b]; });

  RunCurve curve;
  curve.strategy = strategy;
  curve.file = file;
  curve.evaluations = table.rows.size();
  curve.hypervolume.reserve(table.rows.size());
  FrontArchive archive(reference);
  for (const std::size_t r : order) {
    if (table.rows[r][feasible_column] == "true") {
      moo::Point p;
      for (std::size_t i = 0; i < objectives.size(); ++i)
        p.push_back(objectives[i].to_minimised(table.number(r, value_columns[i])));
      archive.add(p);
    }
    curve.hypervolume.push_back(archive.volume());
  }
  curve.front = archive.points();
  return curve;
}

double union_hypervolume(const std::vector<RunCurve>& runs, const moo::Point& reference) {
  moo::Points all;
  for (const auto& run : runs) all.insert(all.end(), run.front.begin(), run.front.end());
  return moo::hypervolume(all, reference);
}

}  // namespace nasctl::sample_efficiency
