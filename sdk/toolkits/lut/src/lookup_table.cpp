#include "nasctl/lut/lookup_table.hpp"

#include <cmath>
#include <mutex>
#include <set>

namespace nasctl::lut {

namespace {

constexpr uint64_t bits(int n) { return (uint64_t{1} << n) - 1; }

bool fits(int64_t v, int n) { return v >= 0 && static_cast<uint64_t>(v) <= bits(n); }

}  // namespace

LookupTable::LookupTable(LutFile primary, std::optional<LutFile> fallback)
    : primary_(std::move(primary)), fallback_(std::move(fallback)) {
  auto add = [&](const LutEntry& e, bool from_fallback) {
    Value v;
    v.state = e.status == EntryStatus::Ok ? State::Ok : State::Failed;
    v.latency_ms = e.latency_ms;
    const bool energy = from_fallback ? fallback_->has_energy : primary_.has_energy;
    v.energy_mj = energy ? e.energy_mj : std::nan("");
    v.from_fallback = from_fallback;
    values_.push_back(v);
    value_keys_.push_back(e.key);
    value_entries_.push_back(&e);
    return static_cast<uint32_t>(values_.size() - 1);
  };
  std::unordered_map<std::string, const LutEntry*> fallback_ok;
  if (fallback_) {
    for (const LutEntry& e : fallback_->entries) {
      if (e.status == EntryStatus::Ok) fallback_ok.emplace(e.key, &e);
    }
  }
  for (const LutEntry& e : primary_.entries) {
    const auto fb = fallback_ok.find(e.key);
    const bool use_fallback = e.status != EntryStatus::Ok && fb != fallback_ok.end();
    by_key_.emplace(e.key, use_fallback ? add(*fb->second, true) : add(e, false));
  }
  if (fallback_) {
    for (const LutEntry& e : fallback_->entries) {
      if (!by_key_.count(e.key)) by_key_.emplace(e.key, add(e, true));
    }
  }
  slots_.assign(1024, Slot{});
}

LookupTable::~LookupTable() = default;

// 32 bytes: every field of a Layer except the producer indices, of which
// only the count matters to key(). Bit widths hold any realistic network.
bool LookupTable::pack(const Layer& l, Packed& p) {
  const int64_t n_inputs = static_cast<int64_t>(l.inputs.size());
  if (!fits(l.kernel, 8) || !fits(l.stride, 8) || !fits(l.padding, 8) || !fits(n_inputs, 8) || !fits(l.groups, 21) ||
      !fits(l.in.channels, 22) || !fits(l.in.height, 21) || !fits(l.in.width, 21) || !fits(l.out.channels, 22) ||
      !fits(l.out.height, 21) || !fits(l.out.width, 21) || l.hidden < 0)
    return false;
  p.w[0] = static_cast<uint64_t>(l.op) | static_cast<uint64_t>(l.activation) << 5 |
           static_cast<uint64_t>(l.bias) << 9 | static_cast<uint64_t>(l.batch_norm) << 10 |
           static_cast<uint64_t>(l.kernel) << 11 | static_cast<uint64_t>(l.stride) << 19 |
           static_cast<uint64_t>(l.padding) << 27 | static_cast<uint64_t>(n_inputs) << 35 |
           static_cast<uint64_t>(l.groups) << 43;
  p.w[1] = static_cast<uint64_t>(l.in.channels) | static_cast<uint64_t>(l.in.height) << 22 |
           static_cast<uint64_t>(l.in.width) << 43;
  p.w[2] = static_cast<uint64_t>(l.out.channels) | static_cast<uint64_t>(l.out.height) << 22 |
           static_cast<uint64_t>(l.out.width) << 43;
  p.w[3] = static_cast<uint64_t>(l.hidden);
  return true;
}

uint64_t LookupTable::hash(const Packed& p) {
  uint64_t h = p.w[0] * 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 29) ^ p.w[1]) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 29) ^ p.w[2]) * 0x94D049BB133111EBull;
  h = (h ^ (h >> 29) ^ p.w[3]) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 32);
}

uint32_t LookupTable::find_packed(const Packed& p) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash(p) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.value == kEmpty) return kEmpty;
    if (s.key == p) return s.value;
  }
}

void LookupTable::insert_packed(const Packed& p, uint32_t value) const {
  if (2 * (used_slots_ + 1) > slots_.size()) {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    used_slots_ = 0;
    for (const Slot& s : old) {
      if (s.value != kEmpty) insert_packed(s.key, s.value);
    }
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash(p) & mask;
  while (slots_[i].value != kEmpty) {
    if (slots_[i].key == p) return;
    i = (i + 1) & mask;
  }
  slots_[i] = Slot{p, value};
  ++used_slots_;
}

uint32_t LookupTable::find_key(const std::string& key) const {
  const auto it = by_key_.find(key);
  return it == by_key_.end() ? kEmpty : it->second;
}

uint32_t LookupTable::resolve_key(const std::string& key) const {
  const uint32_t known = find_key(key);
  if (known != kEmpty) return known;
  // Remembered as missing, so the next network with this layer is fast too.
  values_.push_back(Value{});
  value_keys_.push_back(key);
  value_entries_.push_back(nullptr);
  const auto index = static_cast<uint32_t>(values_.size() - 1);
  by_key_.emplace(key, index);
  return index;
}

bool LookupTable::try_sum(const NetworkSpec& network, NetworkSum& out) const {
  out = NetworkSum{};
  Packed p;
  for (const Layer& layer : network.layers) {
    uint32_t index = kEmpty;
    if (pack(layer, p)) {
      index = find_packed(p);
      if (index == kEmpty) return false;
    } else {
      index = find_key(layer.key());
      if (index == kEmpty) {
        ++out.unusable_layers;
        continue;
      }
    }
    const Value& v = values_[index];
    if (v.state != State::Ok) {
      ++out.unusable_layers;
      continue;
    }
    out.latency_ms += v.latency_ms;
    out.class_ms[layer_class(layer)] += v.latency_ms;
    ++out.layers;
    out.energy_mj += v.energy_mj;
    out.fallback_layers += v.from_fallback;
  }
  return true;
}

void LookupTable::cache_layers(const NetworkSpec& network) const {
  Packed p;
  for (const Layer& layer : network.layers) {
    if (!pack(layer, p) || find_packed(p) != kEmpty) continue;
    insert_packed(p, resolve_key(layer.key()));
  }
}

NetworkSum LookupTable::sum(const NetworkSpec& network) const {
  NetworkSum out;
  {
    std::shared_lock lock(mutex_);
    if (try_sum(network, out)) return out;
  }
  {
    std::unique_lock lock(mutex_);
    cache_layers(network);
  }
  std::shared_lock lock(mutex_);
  try_sum(network, out);  // every packable layer is cached now
  return out;
}

std::string LookupTable::unusable_report(const NetworkSpec& network) const {
  std::vector<std::string> missing, failed;
  std::set<std::string> seen;
  {
    std::shared_lock lock(mutex_);
    for (const Layer& layer : network.layers) {
      const std::string key = layer.key();
      if (!seen.insert(key).second) continue;
      const uint32_t index = find_key(key);
      if (index != kEmpty && values_[index].state == State::Ok) continue;
      if (index == kEmpty || values_[index].state == State::Missing) {
        missing.push_back(key);
        continue;
      }
      const LutEntry* e = value_entries_[index];
      const LutFile& file = values_[index].from_fallback ? *fallback_ : primary_;
      failed.push_back(file.where(*e) + " '" + key + "' (" + (e->error.empty() ? "no error text" : e->error) + ")");
    }
  }
  std::string report;
  constexpr std::size_t kShown = 3;
  if (!missing.empty()) {
    report += std::to_string(missing.size()) + " layer signature" + (missing.size() == 1 ? "" : "s") +
              " without an entry: ";
    for (std::size_t i = 0; i < missing.size() && i < kShown; ++i) report += (i ? ", '" : "'") + missing[i] + "'";
    if (missing.size() > kShown) report += " and " + std::to_string(missing.size() - kShown) + " more";
  }
  if (!failed.empty()) {
    if (!report.empty()) report += "; ";
    report += std::to_string(failed.size()) + " whose measurement failed: ";
    for (std::size_t i = 0; i < failed.size() && i < kShown; ++i) report += (i ? ", " : "") + failed[i];
    if (failed.size() > kShown) report += " and " + std::to_string(failed.size() - kShown) + " more";
  }
  return report;
}

}  // namespace nasctl::lut
