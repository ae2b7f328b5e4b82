#include "model_export.hpp"

#include <exception>
#include <memory>

#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/script_network.hpp"

namespace nasctl::command {

void export_torchscript(const NetworkSpec& network, uint64_t seed, const std::string& path) {
  try {
    const auto eager = std::make_shared<libtorch::EagerNetwork>(network, seed);
    torch::jit::Module scripted = libtorch::to_script(*eager);
    scripted.save(path);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));  // LibTorch messages run over many lines
    throw EvaluationError("command: network '" + network.name + "': exporting a TorchScript archive to " + path +
                          " failed: " + what + "; fix: check free space in the temporary folder (TMPDIR)");
  }
}

}  // namespace nasctl::command
