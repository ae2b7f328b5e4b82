// TorchScript archive: the scripted module of core/torch, unfrozen, so the
// device's runtime applies its own optimisations (PyTorch Mobile freezes and
// folds batch norm when it loads the model for inference).
#include <memory>
#include <sstream>

#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/script_network.hpp"
#include "serializers.hpp"

namespace nasctl::model_export {

std::string torchscript_bytes(const NetworkSpec& spec, uint64_t seed) {
  const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, seed);
  torch::jit::Module scripted = libtorch::to_script(*eager);
  // Into memory first: the caller writes every format through one atomic
  // writer, with the same errors for a full disk or a read-only folder.
  std::ostringstream out(std::ios::binary);
  scripted.save(out);
  return out.str();
}

}  // namespace nasctl::model_export
