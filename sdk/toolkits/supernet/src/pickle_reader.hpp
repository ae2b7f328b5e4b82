// A reader for the pickles torch.save writes (data.pkl inside its zip
// archive): protocols 2 to 5, the opcodes that encode None, booleans,
// integers, floats, strings, bytes, tuples, lists, dicts, globals, memo
// references, persistent ids (tensor storages) and REDUCE/NEWOBJ/BUILD
// calls. LibTorch 1.13's own unpickler (torch::pickle_load) rejects what
// Python writes for a state dict (SETITEM, an OrderedDict's BUILD), so
// nasctl reads these files itself.
//
// Values are shared: a memo reference is the same object, so an item added
// to a dict after it was memoised is seen through every reference.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nasctl::supernet::detail {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct PickleValue {
  enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Tensor, Object };
  Kind kind = Kind::None;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0.0;
  // String and Bytes: the content. Global: "module.name". Object: the
  // "module.name" of the class or function that made it.
  std::string text;
  std::vector<PickleRef> items;                          // Tuple, List; Object: its arguments
  std::vector<std::pair<PickleRef, PickleRef>> entries;  // Dict, in insertion order
  at::Tensor tensor;                                     // Tensor

  bool is(Kind k) const { return kind == k; }
};

// What a pickle does that only its producer can interpret.
struct PickleCalls {
  // BINPERSID: the value a persistent id stands for (torch.save: a storage).
  std::function<PickleRef(const PickleRef& id)> persistent_load;
  // REDUCE / NEWOBJ of a global nasctl knows (torch's tensor rebuilders);
  // nullptr for any other, which becomes an opaque Object.
  std::function<PickleRef(const std::string& global, const PickleRef& args)> call;
};

// Malformed or unsupported pickle data; the message says what and where
// (byte offset) and the caller adds the file.
class PickleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs the pickle in data[0, size) and returns the value STOP leaves.
PickleRef read_pickle(const char* data, std::size_t size, const PickleCalls& calls);

}  // namespace nasctl::supernet::detail
