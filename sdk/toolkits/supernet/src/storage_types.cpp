#include "storage_types.hpp"

#include <array>
#include <utility>

namespace nasctl::supernet::detail {

namespace {

// The typed-storage classes torch/storage.py defines for the dtypes a
// checkpoint holds (quantised and complex ones are left out).
constexpr std::array<std::pair<const char*, c10::ScalarType>, 10> kStorageClasses{{
    {"FloatStorage", c10::ScalarType::Float},
    {"DoubleStorage", c10::ScalarType::Double},
    {"HalfStorage", c10::ScalarType::Half},
    {"BFloat16Storage", c10::ScalarType::BFloat16},
    {"LongStorage", c10::ScalarType::Long},
    {"IntStorage", c10::ScalarType::Int},
    {"ShortStorage", c10::ScalarType::Short},
    {"CharStorage", c10::ScalarType::Char},
    {"ByteStorage", c10::ScalarType::Byte},
    {"BoolStorage", c10::ScalarType::Bool},
}};

}  // namespace

std::optional<c10::ScalarType> storage_dtype(const std::string& global) {
  const std::string prefix = "torch.";
  if (global.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const std::string name = global.substr(prefix.size());
  for (const auto& [cls, dtype] : kStorageClasses) {
    if (name == cls) return dtype;
  }
  return std::nullopt;
}

std::optional<std::string> storage_class(c10::ScalarType dtype) {
  for (const auto& [cls, type] : kStorageClasses) {
    if (type == dtype) return std::string(cls);
  }
  return std::nullopt;
}

}  // namespace nasctl::supernet::detail
