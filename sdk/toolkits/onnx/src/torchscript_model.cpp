// TorchScript archive: the scripted module of the torch toolkit, unfrozen, so the
// device's runtime applies its own optimisations (PyTorch Mobile freezes and
// folds batch norm when it loads the model for inference).
#include <memory>
#include <sstream>

#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/script_network.hpp"
#include "serializers.hpp"

namespace nasctl::model_export {

std::shared_ptr<const libtorch::EagerNetwork> weights_of(const NetworkSpec& spec, const ExportOptions& options) {
  if (!options.network) return std::make_shared<libtorch::EagerNetwork>(spec, options.seed);
  // The given network must be this spec's: same layers (keys carry op,
  // shapes, kernel, stride, groups, bias and batch norm) and input.
  const NetworkSpec& held = options.network->spec();
  bool same = held.input == spec.input && held.layers.size() == spec.layers.size();
  for (std::size_t i = 0; same && i < spec.layers.size(); ++i)
    same = held.layers[i].key() == spec.layers[i].key() && held.layers[i].inputs == spec.layers[i].inputs;
  if (!same)
    throw Error("model export: network '" + spec.name + "': the weights given are of another network ('" + held.name +
                "', " + std::to_string(held.layers.size()) + " layers); fix: pass the network built from the exported "
                "spec");
  return options.network;
}

std::string torchscript_bytes(const NetworkSpec& spec, const ExportOptions& options) {
  const std::shared_ptr<const libtorch::EagerNetwork> eager = weights_of(spec, options);
  torch::jit::Module scripted = libtorch::to_script(*eager);
  // Into memory first: the caller writes every format through one atomic
  // writer, with the same errors for a full disk or a read-only folder.
  std::ostringstream out(std::ios::binary);
  scripted.save(out);
  return out.str();
}

}  // namespace nasctl::model_export
