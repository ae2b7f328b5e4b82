// Drops one known LibTorch 1.13 warning while latency is timed (the measure
// path installs it; code timing a frozen module by hand can too).
//
// LibTorch 1.13's optimize_for_inference runs hardswish/hardsigmoid on oneDNN
// tensors through a helper that wraps the input with its logical element
// count and the output with its physical (channel-blocked, padded to 8/16)
// count; at::*_out then resizes the output and warns "An output with one or
// more elements was resized..." on every forward pass whose channel count is
// not a multiple of the block. Printing that warning (through glog, to
// stderr) inside the timed region would distort the measurement and flood
// the log. The work done is the same; only the numerics of the padded layout
// are off (fixed in LibTorch 2.x, where the helper uses the physical size for
// both). Every other warning still reaches the previous handler.
#pragma once

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <string>

namespace nasctl::libtorch {

class ResizeWarningFilter final : public c10::WarningHandler {
 public:
  static bool is_resize_warning(const std::string& msg) {
    return msg.find("An output with one or more elements was resized") != std::string::npos;
  }

#if TORCH_VERSION_MAJOR >= 2
  explicit ResizeWarningFilter(c10::WarningHandler* next) : next_(next) {}
  void process(const c10::Warning& warning) override {
    if (!is_resize_warning(warning.msg()) && next_) next_->process(warning);
  }
#else
  explicit ResizeWarningFilter(c10::WarningHandler* next) : next_(next) {}
  void process(const c10::SourceLocation& where, const std::string& msg, const bool verbatim) override {
    if (!is_resize_warning(msg) && next_) next_->process(where, msg, verbatim);
  }
#endif

 private:
  c10::WarningHandler* next_;
};

// Installs a ResizeWarningFilter for its lifetime.
class ScopedResizeWarningFilter {
 public:
#if TORCH_VERSION_MAJOR >= 2
  ScopedResizeWarningFilter() : filter_(c10::WarningUtils::get_warning_handler()), guard_(&filter_) {}
 private:
  ResizeWarningFilter filter_;
  c10::WarningUtils::WarningHandlerGuard guard_;
#else
  ScopedResizeWarningFilter() : filter_(c10::Warning::get_warning_handler()), guard_(&filter_) {}
 private:
  ResizeWarningFilter filter_;
  c10::Warning::WarningHandlerGuard guard_;
#endif
};

}  // namespace nasctl::libtorch
