// Include this instead of <doctest/doctest.h> in test_datasets. LibTorch's
// logging headers (glog, or c10's fallback in LibTorch 2.x), which the
// datasets headers bring in with at::Tensor, define CHECK, CHECK_EQ, ...;
// whichever header comes last wins, so ATen comes first and doctest's
// macros replace LibTorch's (as tests/torch/torch_doctest.hpp does).
#pragma once

#include <ATen/ATen.h>

#undef CHECK
#undef CHECK_EQ
#undef CHECK_NE
#undef CHECK_LT
#undef CHECK_LE
#undef CHECK_GT
#undef CHECK_GE

#include <doctest/doctest.h>
