// OperatorSpace: the extra face of a space whose searchable layers each pick
// one operator from a pool (HURRICANE's space). `nasctl space select` reaches
// it with dynamic_cast from the SearchSpace a session loaded, and scores each
// operator at each layer on a network that holds that operator alone.
//
// It lives in nasctl_evolve (with HURRICANE's search engine) rather than in
// the SDK so the SDK headers stay untouched; the out-of-line destructor makes
// libnasctl-evolve.so the one home of its type info, so the cast works across
// the plugin border. A space plugin that implements it links nasctl::evolve.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl::evolve {

struct LayerPosition {
  std::size_t variable = 0;  // index of the decision variable that picks this layer's operator
  std::string name;          // that variable's name, e.g. "l3"
  TensorShape in;            // the layer's input
  TensorShape out;           // and output
  int stride = 1;
};

class OperatorSpace {
 public:
  virtual ~OperatorSpace();

  // The searchable layers in network order.
  virtual std::vector<LayerPosition> layer_positions() const = 0;
  // Every operator valid at a position, from the whole pool (a restriction
  // such as an operators file does not apply), in pool order.
  virtual std::vector<std::string> pool_at(std::size_t position) const = 0;
  // A network holding only `op` at the position's input shape. An identity
  // operator ("skip") gives a network without layers.
  virtual NetworkSpec lower_operator(std::size_t position, const std::string& op) const = 0;
  // The `space` name an operators file must declare to be loaded by this space.
  virtual std::string operators_file_space() const = 0;
};

}  // namespace nasctl::evolve
