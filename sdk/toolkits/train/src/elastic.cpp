#include "nasctl/train/elastic.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <numeric>

#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::train {

namespace {

// "ks12" -> "ks"; a name without trailing digits is its own family.
std::string family_of(const std::string& name) {
  std::size_t end = name.size();
  while (end > 0 && std::isdigit(static_cast<unsigned char>(name[end - 1]))) --end;
  return end == 0 || end == name.size() ? name : name.substr(0, end);
}

// Each variable at its largest value where choices are numbers, at its first
// choice otherwise: the network nominal choices are compared in.
Architecture reference(const SearchSpace& space) {
  const auto& vars = space.variables();
  Architecture arch(vars.size(), 0);
  for (std::size_t v = 0; v < vars.size(); ++v) {
    const auto& values = vars[v].values;
    if (!values.empty()) arch[v] = static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
  }
  return arch;
}

}  // namespace

ElasticSpace::ElasticSpace(const SearchSpace& space) : space_(&space) {
  const auto& vars = space.variables();
  const Architecture base = reference(space);
  for (std::size_t v = 0; v < vars.size(); ++v) {
    std::vector<int> order(static_cast<std::size_t>(vars[v].cardinality()));
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> size(order.size());
    if (!vars[v].values.empty()) {
      size = vars[v].values;
    } else {
      // Nominal choices (operators): larger = more multiply-accumulates in
      // the reference network, the only size every space can tell.
      for (int c : order) {
        Architecture arch = base;
        arch[v] = c;
        size[c] = static_cast<double>(count_cost(space.lower(space.canonicalize(arch))).macs);
      }
    }
    // Largest first; equal sizes keep the space's order.
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return size[a] > size[b]; });
    order_.push_back(std::move(order));
  }
  // The variables that move the input size: one other choice each, in the
  // reference network, changes the lowered input.
  const int base_size = input_size(space.canonicalize(base));
  for (std::size_t v = 0; v < vars.size(); ++v) {
    for (int c = 0; c < vars[v].cardinality(); ++c) {
      if (c == base[v]) continue;
      Architecture arch = base;
      arch[v] = c;
      if (input_size(space.canonicalize(arch)) != base_size) {
        input_variables_.push_back(v);
        break;
      }
    }
  }
}

int ElasticSpace::input_size(const Architecture& arch) const {
  return static_cast<int>(space_->lower(arch).input.height);
}

std::vector<int> ElasticSpace::input_sizes(const PhaseChoices& choices) const {
  std::vector<int> sizes;
  Architecture arch = largest(choices);
  // Only the input variables vary; every combination of their choices.
  std::vector<std::size_t> position(input_variables_.size(), 0);
  while (true) {
    for (std::size_t i = 0; i < input_variables_.size(); ++i)
      arch[input_variables_[i]] = choices.allowed[input_variables_[i]][position[i]];
    const int size = input_size(space_->canonicalize(arch));
    if (std::find(sizes.begin(), sizes.end(), size) == sizes.end()) sizes.push_back(size);
    std::size_t i = 0;
    for (; i < position.size(); ++i) {
      if (++position[i] < choices.allowed[input_variables_[i]].size()) break;
      position[i] = 0;
    }
    if (i == position.size()) break;
  }
  std::sort(sizes.rbegin(), sizes.rend());
  return sizes;
}

PhaseChoices ElasticSpace::all() const {
  PhaseChoices choices;
  choices.allowed = order_;
  return choices;
}

PhaseChoices ElasticSpace::fixed(const Architecture& arch) const {
  PhaseChoices choices;
  for (int choice : arch) choices.allowed.push_back({choice});
  return choices;
}

PhaseChoices ElasticSpace::phase(const std::vector<std::string>& elastic) const {
  PhaseChoices largest;
  for (const auto& order : order_) largest.allowed.push_back({order.front()});
  return with_elastic(elastic, std::move(largest));
}

PhaseChoices ElasticSpace::phase(const std::vector<std::string>& elastic, const Architecture& held) const {
  if (held.size() != order_.size())
    throw Error("the held architecture has " + std::to_string(held.size()) + " choices but the space has " +
                std::to_string(order_.size()) + " variables; fix: give one choice per variable");
  return with_elastic(elastic, fixed(held));
}

PhaseChoices ElasticSpace::with_elastic(const std::vector<std::string>& elastic, PhaseChoices choices) const {
  const auto& vars = space_->variables();
  for (const std::string& entry : elastic) {
    std::string name = entry;
    int count = 0;  // 0: every choice
    if (const std::size_t colon = entry.find(':'); colon != std::string::npos) {
      name = entry.substr(0, colon);
      const std::string number = entry.substr(colon + 1);
      const bool digits = !number.empty() && number.size() < 4 &&
                          std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
      count = digits ? std::stoi(number) : -1;
      if (count < 1)
        throw Error("elastic entry '" + entry + "': the part after ':' must be a number of choices (1 or more); "
                    "fix: write e.g. \"" + name + ":2\" for the two largest choices, or \"" + name + "\" for all");
    }
    std::vector<std::size_t> matched;
    for (std::size_t v = 0; v < vars.size(); ++v)
      if (vars[v].name == name) matched.push_back(v);
    if (matched.empty()) {
      for (std::size_t v = 0; v < vars.size(); ++v)
        if (family_of(vars[v].name) == name) matched.push_back(v);
    }
    if (matched.empty())
      throw Error("elastic entry '" + entry + "': the space has no variable '" + name + "'; its variables are " +
                  variables_text() + "; fix: name one of them, or a family (the name without its number)");
    for (std::size_t v : matched) {
      const auto& order = order_[v];
      if (count > static_cast<int>(order.size()))
        throw Error("elastic entry '" + entry + "': variable '" + vars[v].name + "' has " +
                    std::to_string(order.size()) + " choices, not " + std::to_string(count) + "; fix: use " + name +
                    ":1 .. " + name + ":" + std::to_string(order.size()) + ", or \"" + name + "\" for all");
      const std::size_t n = count == 0 ? order.size() : static_cast<std::size_t>(count);
      choices.allowed[v].assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }
  return choices;
}

Architecture ElasticSpace::largest(const PhaseChoices& choices) const {
  Architecture arch;
  for (const auto& allowed : choices.allowed) arch.push_back(allowed.front());
  return space_->canonicalize(arch);
}

Architecture ElasticSpace::smallest(const PhaseChoices& choices) const {
  Architecture arch;
  for (const auto& allowed : choices.allowed) arch.push_back(allowed.back());
  return space_->canonicalize(arch);
}

Architecture ElasticSpace::random(const PhaseChoices& choices, Rng& rng) const {
  Architecture arch;
  for (const auto& allowed : choices.allowed)
    arch.push_back(allowed[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(allowed.size())))]);
  return space_->canonicalize(arch);
}

std::string ElasticSpace::variables_text() const {
  // Families in the order they first appear: "ks (ks0..ks19)".
  std::vector<std::string> families;
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& var : space_->variables()) {
    const std::string family = family_of(var.name);
    if (!members.count(family)) families.push_back(family);
    members[family].push_back(var.name);
  }
  std::string text;
  for (const std::string& family : families) {
    const auto& names = members[family];
    if (!text.empty()) text += ", ";
    text += family;
    if (names.size() > 1) text += " (" + names.front() + ".." + names.back() + ")";
    else if (names.front() != family) text += " (" + names.front() + ")";
  }
  return text;
}

std::vector<Architecture> step_architectures(const ElasticSpace& space, const PhaseChoices& choices, Sampler sampler,
                                             int64_t random_count, Rng& rng) {
  if (sampler == Sampler::Spos) return {space.random(choices, rng)};
  std::vector<Architecture> drawn{space.largest(choices), space.smallest(choices)};
  for (int64_t i = 0; i < random_count; ++i) drawn.push_back(space.random(choices, rng));
  // One input size for the whole step (elastic resolution).
  bool resized = false;
  for (const std::size_t v : space.input_variables()) {
    const std::vector<int>& allowed = choices.allowed[v];
    if (allowed.size() < 2) continue;
    const int choice = allowed[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(allowed.size())))];
    for (Architecture& arch : drawn) arch[v] = choice;
    resized = true;
  }
  if (resized)
    for (Architecture& arch : drawn) arch = space.space().canonicalize(arch);
  // A sub-network twice in one step would count its gradient twice (in a
  // phase where nothing is elastic, four times): each is trained once.
  std::vector<Architecture> archs;
  for (Architecture& arch : drawn)
    if (std::find(archs.begin(), archs.end(), arch) == archs.end()) archs.push_back(std::move(arch));
  return archs;
}

}  // namespace nasctl::train
