#include "nasctl/error.hpp"

namespace nasctl {

// Key functions: see the note in error.hpp.
Error::~Error() = default;
ConfigError::~ConfigError() = default;
ArchitectureError::~ArchitectureError() = default;
DataError::~DataError() = default;
PluginError::~PluginError() = default;
EvaluationError::~EvaluationError() = default;

}  // namespace nasctl
