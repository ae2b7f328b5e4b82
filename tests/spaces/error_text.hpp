// The message of the nasctl::Error a call throws, for tests that check what
// a user would read.
#pragma once

#include <string>

#include "nasctl/error.hpp"

namespace nasctl::test {

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const nasctl::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace nasctl::test
