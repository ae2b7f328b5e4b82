// Errors a user can act on. Every error nasctl reports is one line of the form
// "<where>: <what is wrong>; fix: <what to do>", so each subclass only decides
// which prefix ("file:line:col", "key 'x'", "plugin 'y'") it carries.
#pragma once

#include <stdexcept>
#include <string>

namespace nasctl {

// Each class has its destructor defined in the SDK library (src/error.cpp),
// so its vtable and type_info live there and not in the plugin that throws:
// an error thrown by a plugin stays printable after that plugin's library is
// unloaded while the exception propagates.

// Base of every error meant for the user. The CLI prints what() on one line
// and exits non-zero; anything that is not an Error is an internal bug.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~Error() override;
};

// A config file or --set override is wrong (syntax, type, unknown key...).
class ConfigError : public Error {
 public:
  using Error::Error;
  ~ConfigError() override;
};

// An architecture string or choice vector does not belong to its space.
class ArchitectureError : public Error {
 public:
  using Error::Error;
  ~ArchitectureError() override;
};

// A data file (CSV, LUT, journal...) is malformed. Messages name file:line.
class DataError : public Error {
 public:
  using Error::Error;
  ~DataError() override;
};

// A plugin could not be found, loaded, or constructed.
class PluginError : public Error {
 public:
  using Error::Error;
  ~PluginError() override;
};

// A metric could not be computed for a candidate (e.g. missing table row).
class EvaluationError : public Error {
 public:
  using Error::Error;
  ~EvaluationError() override;
};

}  // namespace nasctl
