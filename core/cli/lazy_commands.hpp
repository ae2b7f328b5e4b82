// Running a command that lives in a library nasctl loads only when needed.
// LibTorch takes most of a second to load and pulls in OpenBLAS, ONNX and
// their threads: `nasctl --version`, `validate`, `plugins` and searches whose
// plugins need no LibTorch should not pay for it. The commands that do (lut,
// export, train) are in nasctl-commands-torch (torch_commands.cpp).
#pragma once

#include <string>

namespace nasctl::cli {

struct ExportOptions;
struct LutOptions;

int run_lut_command_lazily(const LutOptions& options);
int run_export_command_lazily(const ExportOptions& options);

// Where nasctl looks for nasctl-commands-torch.so (beside the plugin folder).
std::string torch_commands_library();

}  // namespace nasctl::cli
