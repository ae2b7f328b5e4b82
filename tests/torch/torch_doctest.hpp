// Include this instead of <doctest/doctest.h> in test_torch. LibTorch's
// logging headers (glog, or c10's fallback in LibTorch 2.x) define CHECK,
// CHECK_EQ, ...; whichever header comes last wins, so without this order a
// doctest CHECK silently becomes a LibTorch fatal check that doctest never
// counts or reports.
#pragma once

#include <ATen/ATen.h>
#include <torch/csrc/jit/api/module.h>

#undef CHECK
#undef CHECK_EQ
#undef CHECK_NE
#undef CHECK_LT
#undef CHECK_LE
#undef CHECK_GT
#undef CHECK_GE

#include <doctest/doctest.h>
