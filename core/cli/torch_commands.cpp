// Entry points of nasctl-commands-torch: the commands whose engines need
// LibTorch (lookup tables, model export, super-network training). nasctl loads this library only when
// one of them runs (lazy_commands.cpp), so that every other command starts
// without loading LibTorch. Exceptions pass through to nasctl's handler:
// both sides share the SDK's error types and this library stays loaded.
#include <boost/config.hpp>

#include "command_lut.hpp"
#include "command_train.hpp"
#include "commands.hpp"

extern "C" BOOST_SYMBOL_EXPORT int nasctl_command_lut(const nasctl::cli::LutOptions* options) {
  return nasctl::cli::run_lut_command(*options);
}

extern "C" BOOST_SYMBOL_EXPORT int nasctl_command_export(const nasctl::cli::ExportOptions* options) {
  return nasctl::cli::run_export_command(*options);
}

extern "C" BOOST_SYMBOL_EXPORT int nasctl_command_train(const nasctl::cli::TrainCommandOptions* options) {
  return nasctl::cli::run_train_command(*options);
}
