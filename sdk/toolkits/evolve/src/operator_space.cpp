// The key function of OperatorSpace: its type info is emitted here only.
#include "nasctl/evolve/operator_space.hpp"

namespace nasctl::evolve {

OperatorSpace::~OperatorSpace() = default;

}  // namespace nasctl::evolve
