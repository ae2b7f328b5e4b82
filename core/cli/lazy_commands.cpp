#include "lazy_commands.hpp"

#include <filesystem>
#include <memory>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "command_lut.hpp"
#include "command_train.hpp"
#include "commands.hpp"
#include "nasctl/error.hpp"

namespace nasctl::cli {

namespace {

// Loaded once and never unloaded: an exception thrown inside it is reported
// after the call returns, and its text and type must still be mapped then.
const boost::dll::shared_library& torch_commands() {
  static const std::unique_ptr<boost::dll::shared_library> library = [] {
    const std::string path = torch_commands_library();
    if (!std::filesystem::exists(path))
      throw Error(path + ": missing; it holds the commands that need LibTorch (lut, export, train); fix: build nasctl "
                  "whole (scripts/build.sh) or reinstall it");
    try {
      return std::make_unique<boost::dll::shared_library>(path);
    } catch (const std::exception& e) {
      throw Error(path + ": cannot be loaded (" + std::string(e.what()) +
                  "); fix: install LibTorch (scripts/install-deps.sh), the library these commands need");
    }
  }();
  return *library;
}

template <typename Options>
int run(const char* entry, const Options& options) {
  return torch_commands().get<int(const Options*)>(entry)(&options);
}

}  // namespace

std::string torch_commands_library() {
  const std::filesystem::path bin = boost::dll::program_location().parent_path().string();
  return (bin / NASCTL_RELATIVE_COMMANDS_DIR / "nasctl-commands-torch.so").lexically_normal().string();
}

int run_lut_command_lazily(const LutOptions& options) { return run("nasctl_command_lut", options); }

int run_export_command_lazily(const ExportOptions& options) { return run("nasctl_command_export", options); }

int run_train_command_lazily(const TrainCommandOptions& options) { return run("nasctl_command_train", options); }

}  // namespace nasctl::cli
