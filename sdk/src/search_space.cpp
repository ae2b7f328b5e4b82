// Generic defaults of SearchSpace: text form, validity, genetic operators and
// one-hot encoding. Spaces override only what their structure demands.
#include "nasctl/search_space.hpp"

#include <cmath>

#include "nasctl/error.hpp"

namespace nasctl {

namespace {

std::string expected_form(const std::vector<DecisionVariable>& vars) {
  std::string s;
  for (std::size_t i = 0; i < vars.size() && i < 3; ++i) s += (i ? ";" : "") + vars[i].name + "=" + vars[i].labels[0];
  return s + (vars.size() > 3 ? ";..." : "");
}

}  // namespace

std::string SearchSpace::to_string(const Architecture& arch) const {
  check(arch);
  const auto& vars = variables();
  std::string s;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    if (i) s += ';';
    s += vars[i].name + "=" + vars[i].labels[arch[i]];
  }
  return s;
}

Architecture SearchSpace::parse(std::string_view text) const {
  const auto& vars = variables();
  Architecture arch;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const std::size_t end = std::min(text.find(';', pos), text.size());
    const std::string_view item = text.substr(pos, end - pos);
    const std::size_t eq = item.find('=');
    if (pos > text.size() || eq == std::string_view::npos || item.substr(0, eq) != vars[i].name)
      throw ArchitectureError("architecture '" + std::string(text) + "': expected variable '" + vars[i].name +
                              "' at position " + std::to_string(i) + "; expected form '" + expected_form(vars) + "'");
    const std::string_view label = item.substr(eq + 1);
    int choice = -1;
    for (int c = 0; c < vars[i].cardinality(); ++c) {
      if (vars[i].labels[c] == label) choice = c;
    }
    if (choice < 0) {
      std::string allowed;
      for (const auto& l : vars[i].labels) allowed += (allowed.empty() ? "" : ", ") + l;
      throw ArchitectureError("architecture '" + std::string(text) + "': variable '" + vars[i].name + "' has no choice '" +
                              std::string(label) + "'; allowed: " + allowed);
    }
    arch.push_back(choice);
    pos = end + 1;
  }
  if (pos < text.size())
    throw ArchitectureError("architecture '" + std::string(text) + "': has more than the " +
                            std::to_string(vars.size()) + " variables of this space");
  return canonicalize(arch);
}

void SearchSpace::check(const Architecture& arch) const {
  const auto& vars = variables();
  if (arch.size() != vars.size())
    throw ArchitectureError("architecture has " + std::to_string(arch.size()) + " choices; this space has " +
                            std::to_string(vars.size()) + " variables");
  for (std::size_t i = 0; i < vars.size(); ++i) {
    if (arch[i] < 0 || arch[i] >= vars[i].cardinality())
      throw ArchitectureError("architecture: choice " + std::to_string(arch[i]) + " of variable '" + vars[i].name +
                              "' is out of range 0.." + std::to_string(vars[i].cardinality() - 1));
  }
}

Architecture SearchSpace::sample(Rng& rng) const {
  const auto& vars = variables();
  Architecture arch(vars.size());
  for (std::size_t i = 0; i < vars.size(); ++i) arch[i] = uniform_index(rng, vars[i].cardinality());
  return arch;
}

Architecture SearchSpace::mutate(const Architecture& arch, double p, Rng& rng) const {
  const auto& vars = variables();
  Architecture out = arch;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const int n = vars[i].cardinality();
    if (n < 2 || uniform_unit(rng) >= p) continue;
    // Draw among the other n-1 choices so a mutation always changes the gene.
    const int shift = 1 + uniform_index(rng, n - 1);
    out[i] = (out[i] + shift) % n;
  }
  return out;
}

std::pair<Architecture, Architecture> SearchSpace::crossover(const Architecture& a, const Architecture& b,
                                                             Rng& rng) const {
  std::pair<Architecture, Architecture> children{a, b};
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (uniform_unit(rng) < 0.5) std::swap(children.first[i], children.second[i]);
  }
  return children;
}

std::vector<double> SearchSpace::encode(const Architecture& arch) const {
  const auto& vars = variables();
  std::vector<double> x;
  x.reserve(encoding_size());
  for (std::size_t i = 0; i < vars.size(); ++i) {
    for (int c = 0; c < vars[i].cardinality(); ++c) x.push_back(arch[i] == c ? 1.0 : 0.0);
  }
  return x;
}

std::size_t SearchSpace::encoding_size() const {
  std::size_t n = 0;
  for (const auto& v : variables()) n += static_cast<std::size_t>(v.cardinality());
  return n;
}

double SearchSpace::size() const {
  double n = 1.0;
  for (const auto& v : variables()) n *= v.cardinality();
  return n;
}

}  // namespace nasctl
