// torch.save names a tensor's storage by its legacy typed-storage class
// ("torch.FloatStorage"); the reader and the writer share the mapping.
#pragma once

#include <c10/core/ScalarType.h>

#include <optional>
#include <string>

namespace nasctl::supernet::detail {

// "torch.FloatStorage" -> Float; nullopt for a name nasctl does not map.
std::optional<c10::ScalarType> storage_dtype(const std::string& global);
// Float -> "FloatStorage" (the class name, without "torch."); nullopt for a
// dtype with no typed-storage class.
std::optional<std::string> storage_class(c10::ScalarType dtype);

}  // namespace nasctl::supernet::detail
