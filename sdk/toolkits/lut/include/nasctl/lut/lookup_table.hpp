// LookupTable: the sum of a network's per-layer LUT entries, fast enough to
// price every candidate a search proposes (target: <= 2 us per OFA
// MobileNetV3 sub-network of ~60-100 layers).
//
// Layer::key() builds a string per layer (~100 ns each), so keys are only
// computed the first time a layer is seen: a layer's fields are packed into
// 32 bytes and looked up in an open-addressing cache that maps them to the
// entry its key names. The packed fields are a superset of what key()
// reads, so equal packed fields always mean equal keys (the cache can never
// answer differently than key() would). Layers whose fields do not fit the
// packing (e.g. > 4M channels) take the key() path every time.
//
// Thread-safe: sum() may be called from many threads at once (a reader lock;
// the writer lock only while a never-seen layer is added to the cache).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "nasctl/lut/layer_class.hpp"
#include "nasctl/lut/lut_file.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl::lut {

struct NetworkSum {
  double latency_ms = 0.0;  // sum of the usable entries (uncalibrated)
  // latency_ms split by layer class (layer_class.hpp), for calibrations
  // that scale the classes apart, and the number of layers it sums.
  std::array<double, kLayerClasses> class_ms{};
  std::size_t layers = 0;
  double energy_mj = 0.0;
  std::size_t fallback_layers = 0;  // layers priced by the fallback table
  std::size_t unusable_layers = 0;  // layers without a usable entry (missing or failed)
  bool complete() const { return unusable_layers == 0; }
};

class LookupTable {
 public:
  // `fallback`: a second table consulted for signatures `primary` lacks or
  // marks failed.
  explicit LookupTable(LutFile primary, std::optional<LutFile> fallback = std::nullopt);
  ~LookupTable();

  NetworkSum sum(const NetworkSpec& network) const;

  // One line naming the layers of `network` that have no usable entry: the
  // missing signatures (first few and the count) and the failed ones with
  // file:line and their error; empty when every layer is priced.
  std::string unusable_report(const NetworkSpec& network) const;

  const LutFile& primary() const { return primary_; }
  const std::optional<LutFile>& fallback() const { return fallback_; }

 private:
  enum class State : uint8_t { Ok, Failed, Missing };
  struct Value {
    double latency_ms = 0.0;
    double energy_mj = 0.0;
    State state = State::Missing;
    bool from_fallback = false;
  };
  struct Packed {
    uint64_t w[4];
    bool operator==(const Packed& o) const {
      return w[0] == o.w[0] && w[1] == o.w[1] && w[2] == o.w[2] && w[3] == o.w[3];
    }
  };
  struct Slot {
    Packed key;
    uint32_t value = kEmpty;
  };
  static constexpr uint32_t kEmpty = 0xffffffffu;

  static bool pack(const Layer& layer, Packed& out);
  static uint64_t hash(const Packed& p);
  // Value index of a key (an entry, or a new Missing value). Writer lock held.
  uint32_t resolve_key(const std::string& key) const;
  // Value index of a key without adding one; kEmpty when unknown. Any lock.
  uint32_t find_key(const std::string& key) const;
  uint32_t find_packed(const Packed& p) const;
  void insert_packed(const Packed& p, uint32_t value) const;
  // Sums under the reader lock; false when a packable layer is not cached.
  bool try_sum(const NetworkSpec& network, NetworkSum& out) const;
  void cache_layers(const NetworkSpec& network) const;

  LutFile primary_;
  std::optional<LutFile> fallback_;
  // The cache grows as sum() meets new layers (under the writer lock).
  mutable std::vector<Value> values_;
  mutable std::vector<std::string> value_keys_;        // key of each value
  mutable std::vector<const LutEntry*> value_entries_;  // the entry it came from (null when missing)
  mutable std::unordered_map<std::string, uint32_t> by_key_;
  mutable std::vector<Slot> slots_;  // power-of-two size, load <= 1/2
  mutable std::size_t used_slots_ = 0;
  mutable std::shared_mutex mutex_;
};

}  // namespace nasctl::lut
