// Loading an operators file (the TOML `nasctl space select` writes): which
// operators each searchable layer keeps on one device. The file records the
// shapes it was selected for, so a file made for another macro structure
// (widths, strides, resolution) is refused instead of silently misapplied.
#include <set>
#include <string>

#include <toml++/toml.h>

#include "hurricane_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/evolve/operator_selection.hpp"
#include "operators.hpp"

namespace nasctl::spaces::hurricane {

namespace {

constexpr const char* kRegenerate = "regenerate it with `nasctl space select -c <this config> --hardware <name> -o FILE`";

std::string shape_text(const TensorShape& s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
}

struct Reader {
  std::string path;

  std::string at(const toml::node& node) const {
    const auto& src = node.source();
    return path + ":" + std::to_string(src.begin.line);
  }
  [[noreturn]] void fail(const std::string& where, const std::string& what) const { throw DataError(where + ": " + what); }

  std::string string_at(const toml::table& t, const char* key, const std::string& where) const {
    const toml::node* node = t.get(key);
    if (!node || !node->is_string()) fail(where, std::string("needs a string '") + key + "'; fix: " + kRegenerate);
    return node->value<std::string>().value_or("");
  }
};

}  // namespace

std::vector<std::vector<int>> load_operators_file(const std::string& path,
                                                  const std::vector<evolve::LayerPosition>& positions) {
  const Reader r{path};
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    if (src.begin.line == 0) r.fail(path, "cannot read (" + std::string(e.description()) + "); fix: check the path, or " + kRegenerate);
    r.fail(path + ":" + std::to_string(src.begin.line), "TOML syntax: " + std::string(e.description()) + "; fix: " + kRegenerate);
  }
  const std::string format = r.string_at(root, "format", path);
  if (format != evolve::kOperatorsFileFormat)
    r.fail(r.at(*root.get("format")), "format '" + format + "' is not '" + evolve::kOperatorsFileFormat + "'; fix: " + kRegenerate);
  const std::string space = r.string_at(root, "space", path);
  if (space != "hurricane")
    r.fail(r.at(*root.get("space")), "was selected for space '" + space + "', not 'hurricane'; fix: " + kRegenerate);

  const toml::array* layers = root.get("layers") ? root.get("layers")->as_array() : nullptr;
  if (!layers || !layers->is_array_of_tables())
    r.fail(path, "has no [[layers]] tables; fix: " + std::string(kRegenerate));
  if (layers->size() != positions.size())
    r.fail(path, "has " + std::to_string(layers->size()) + " [[layers]] but this space has " +
                     std::to_string(positions.size()) + " searchable layers; fix: " + kRegenerate);

  std::vector<std::vector<int>> out;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const toml::table& t = *layers->get(i)->as_table();
    const evolve::LayerPosition& p = positions[i];
    const std::string where = r.at(t);
    const std::string name = r.string_at(t, "name", where);
    if (name != p.name) r.fail(where, "layer " + std::to_string(i) + " is named '" + name + "', expected '" + p.name + "'; fix: " + kRegenerate);
    const std::string in = r.string_at(t, "input", where), outs = r.string_at(t, "output", where);
    if (in != shape_text(p.in) || outs != shape_text(p.out))
      r.fail(where, "layer " + p.name + " was selected for " + in + " -> " + outs + " but this space's layer maps " +
                        shape_text(p.in) + " -> " + shape_text(p.out) +
                        " (different widths, strides or resolution); fix: " + kRegenerate);
    const toml::array* ops = t.get("operators") ? t.get("operators")->as_array() : nullptr;
    if (!ops || ops->empty())
      r.fail(where, "layer " + p.name + " lists no operators; fix: list at least one, e.g. operators = [\"ir_k3_e6_relu\"]");
    std::vector<int> indices;
    std::set<int> seen;
    for (const toml::node& node : *ops) {
      const std::string op = node.value<std::string>().value_or("");
      const int index = find_operator(op);
      const std::string at = r.at(node.source().begin.line ? node : t);
      if (index < 0)
        r.fail(at, "layer " + p.name + ": unknown operator '" + op +
                       "'; fix: use pool names ir_k<3|5|7>_e<1|3|6>[_se]_<relu|hswish>, shuffle_k<3|5|7>_<relu|hswish> or skip");
      if (!operator_fits(operator_pool()[index], p.in.channels, p.out.channels, p.stride))
        r.fail(at, "layer " + p.name + " cannot use '" + op + "': it maps " + shape_text(p.in) + " -> " + shape_text(p.out) +
                       "; fix: remove it (skip only fits layers that keep the shape)");
      if (!seen.insert(index).second) r.fail(at, "layer " + p.name + " lists '" + op + "' twice; fix: list each operator once");
      indices.push_back(index);
    }
    out.push_back(std::move(indices));
  }
  return out;
}

}  // namespace nasctl::spaces::hurricane
