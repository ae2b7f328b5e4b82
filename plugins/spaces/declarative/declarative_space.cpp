// The declarative space: loading the TOML template, lowering it, and the
// exact exploration behind distinct_layers(), smallest(), largest() and
// distinct_networks(). The schema is in docs/spaces.md ("declarative").
#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>
#include <tuple>

#include <boost/multiprecision/cpp_int.hpp>
#include <toml++/toml.h>

#include "declarative_impl.hpp"
#include "nasctl/error.hpp"

namespace nasctl::spaces::declarative {

namespace {

// Names the template may not define: what every expression already has.
const std::set<std::string> kReserved{
    "cin", "hin", "win", "b", "first", "none", "relu", "relu6", "hswish", "hsigmoid", "sigmoid",
    "make_divisible", "floor", "ceil", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "log2", "log10", "log", "ln", "exp", "sqrt", "sign", "rint", "abs", "min", "max",
    "sum", "avg", "_pi", "_e"};

// Activation codes: expressions name them (act = "first ? relu : hswish").
const std::vector<std::pair<std::string, ActivationKind>> kActivations{
    {"none", ActivationKind::None},         {"relu", ActivationKind::ReLU},
    {"relu6", ActivationKind::ReLU6},       {"hswish", ActivationKind::HardSwish},
    {"hsigmoid", ActivationKind::HardSigmoid}, {"sigmoid", ActivationKind::Sigmoid}};

// Once-for-All's channel rounding (ofa-mobilenetv3's make_divisible):
// nearest multiple of 8, at least 8, plus 8 when rounding lost over 10%.
double make_divisible_fn(double value) {
  int64_t n = std::max<int64_t>(8, static_cast<int64_t>(value + 4.0) / 8 * 8);
  if (static_cast<double>(n) < 0.9 * value) n += 8;
  return static_cast<double>(n);
}
double floor_fn(double v) { return std::floor(v); }
double ceil_fn(double v) { return std::ceil(v); }

// An index a vector function received that is no element: carried out of
// muParser's evaluation to Expr::eval, which knows the key.
struct IndexError {
  std::string what;
};

std::string number_text(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

double vector_read(void* data, double index) {
  const auto* ref = static_cast<const VectorRef*>(data);
  Impl& m = *ref->impl;
  const Variable& var = m.vars[ref->var];
  const double rounded = std::round(index);
  if (!std::isfinite(index) || std::abs(index - rounded) > 1e-9 || rounded < 0 || rounded >= var.count)
    throw IndexError{var.name + "(" + number_text(index) + ") reads no element: '" + var.name + "' has elements 0.." +
                     std::to_string(var.count - 1)};
  return m.element_value(var.base + static_cast<int>(rounded));
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

using Scope = std::map<std::string, double*>;

// Reads the template file; every error names file, line and key.
class Loader {
 public:
  Loader(Impl& m) : m_(m) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& what,
                         const std::string& fix) const {
    const int line = node ? static_cast<int>(node->source().begin.line) : 0;
    throw ConfigError(m_.where_line(line) + ": key '" + key + "': " + what + "; fix: " + fix);
  }

  void load() {
    try {
      root_ = toml::parse_file(m_.file);
    } catch (const toml::parse_error& e) {
      const auto& src = e.source();
      if (src.begin.line == 0)
        throw ConfigError(m_.file + ": cannot read the declarative space file (" + std::string(e.description()) +
                          "); fix: check the space's 'file' key (relative paths start at the config file's folder)");
      throw ConfigError(m_.where_line(static_cast<int>(src.begin.line)) + ": TOML syntax: " +
                        std::string(e.description()) + "; fix: correct the space file's syntax");
    }
    for (const auto& [k, v] : root_) {
      const std::string key(k.str());
      if (key != "name" && key != "input" && key != "variables" && key != "constants" && key != "blocks" &&
          key != "network")
        fail(&v, key, "is not a key of a declarative space",
             "use name, [input], [[variables]], [constants], [blocks.NAME] and [[network]] (docs/spaces.md)");
    }
    if (const toml::node* n = root_.get("name")) {
      if (!n->is_string() || n->value<std::string>()->empty()) fail(n, "name", "must be a non-empty string", "e.g. name = \"my-cnn\"");
      m_.name = *n->value<std::string>();
    }
    load_builtins();
    load_variables();
    load_constants();
    load_input();
    load_blocks();
    const toml::node* net = root_.get("network");
    if (!net || !net->is_array_of_tables() || net->as_array()->empty())
      fail(net, "network", net ? "must be a list of tables ([[network]] entries)" : "is missing",
           "list the layers in order as [[network]] tables, each with op = \"...\" or block = \"...\"");
    std::vector<std::string> stack;
    flatten(*net->as_array(), "network", global_, stack, m_.network);
  }

 private:
  Impl& m_;
  toml::table root_;
  Scope global_;
  std::map<std::string, std::string> kind_of_;  // name -> "variable", "constant", ... for shadowing errors
  std::map<std::string, const toml::table*> blocks_;
  // Ops compiled so far: block uses repeat and nest, so a short file can
  // unroll to more layers than memory holds; it is refused beyond this.
  static constexpr int kMaxOps = 100000;
  int ops_ = 0;

  void claim(const toml::node* node, const std::string& key, const std::string& name, const std::string& kind) {
    if (!is_identifier(name))
      fail(node, key, "'" + name + "' is not a name expressions can use", "use letters, digits and '_', starting with a letter");
    if (kReserved.count(name))
      fail(node, key, "'" + name + "' is a built-in name of expressions", "choose another name");
    const auto it = kind_of_.find(name);
    if (it != kind_of_.end()) fail(node, key, "'" + name + "' is already a " + it->second, "give each name once");
    kind_of_[name] = kind;
  }

  void load_builtins() {
    m_.cin = m_.new_cell(0);
    m_.hin = m_.new_cell(0);
    m_.win = m_.new_cell(0);
    global_["cin"] = m_.cin;
    global_["hin"] = m_.hin;
    global_["win"] = m_.win;
    for (std::size_t i = 0; i < kActivations.size(); ++i) global_[kActivations[i].first] = m_.new_cell(static_cast<double>(i));
  }

  void load_variables() {
    const toml::node* node = root_.get("variables");
    if (!node || !node->is_array_of_tables() || node->as_array()->empty())
      fail(node, "variables", node ? "must be a list of tables ([[variables]] entries)" : "is missing",
           "declare each decision variable as [[variables]] with name and choices (and count for a vector)");
    int base = 0;
    const toml::array& list = *node->as_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const toml::table& t = *list.get(i)->as_table();
      const std::string key = "variables[" + std::to_string(i) + "]";
      for (const auto& [k, v] : t) {
        const std::string name(k.str());
        if (name != "name" && name != "choices" && name != "count")
          fail(&v, key + "." + name, "is not a key of a variable", "use name, choices and count");
      }
      Variable var;
      const toml::node* n = t.get("name");
      if (!n || !n->is_string()) fail(n ? n : &t, key + ".name", "is missing or not a string", "e.g. name = \"ks\"");
      var.name = *n->value<std::string>();
      claim(n, key + ".name", var.name, "variable");
      const toml::node* c = t.get("choices");
      if (!c || !c->is_array())
        fail(c ? c : &t, key + ".choices", "is missing or not an array", "e.g. choices = [3, 5, 7]");
      const toml::array& choices = *c->as_array();
      if (choices.empty())
        fail(c, key + ".choices", "is empty: variable '" + var.name + "' has nothing to choose",
             "give at least one choice, e.g. choices = [3, 5, 7]");
      const bool strings = choices.get(0)->is_string();
      for (std::size_t j = 0; j < choices.size(); ++j) {
        const toml::node& x = *choices.get(j);
        const std::string at = key + ".choices[" + std::to_string(j) + "]";
        if (strings) {
          if (!x.is_string()) fail(&x, at, "mixes strings and numbers", "make every choice a string or every one a number");
          var.labels.push_back(*x.value<std::string>());
          var.values.push_back(static_cast<double>(j));
        } else {
          if (!x.is_number()) fail(&x, at, "is not a number or a string", "choices are integers, floats or strings");
          var.values.push_back(*x.value<double>());
        }
      }
      var.numeric = !strings;
      if (!strings) var.labels = numeric_variable(var.name, var.values).labels;
      std::set<std::string> seen;
      for (std::size_t j = 0; j < var.labels.size(); ++j) {
        if (!seen.insert(var.labels[j]).second)
          fail(choices.get(j), key + ".choices", "lists '" + var.labels[j] + "' twice", "list each choice once");
        if (var.labels[j].find_first_of(";,=-") == 0 || var.labels[j].find_first_of(";,=") != std::string::npos ||
            var.labels[j].empty())
          if (strings)
            fail(choices.get(j), key + ".choices", "choice '" + var.labels[j] + "' cannot be written in an architecture string",
                 "use choices without ';', ',' or '=' that do not start with '-'");
      }
      var.integer = std::all_of(var.values.begin(), var.values.end(), [](double v) { return v == std::floor(v); });
      if (const toml::node* cn = t.get("count")) {
        if (!cn->is_integer() || *cn->value<int64_t>() < 1 || *cn->value<int64_t>() > 100000)
          fail(cn, key + ".count", "must be a whole number of at least 1", "e.g. count = 20 for 20 block slots, or leave it out for one value");
        var.count = static_cast<int>(*cn->value<int64_t>());
      }
      var.base = base;
      const int idx = static_cast<int>(m_.vars.size());
      for (int e = 0; e < var.elements(); ++e) {
        const std::string dn = var.count ? var.name + std::to_string(e) : var.name;
        m_.decision.push_back(var.numeric ? numeric_variable(dn, var.values) : nominal_variable(dn, var.labels));
        m_.element_var.push_back(idx);
      }
      base += var.elements();
      if (var.count == 0) {
        m_.scalar_cell.push_back(m_.new_cell(0));
        global_[var.name] = m_.scalar_cell.back();
      } else {
        m_.scalar_cell.push_back(nullptr);
        m_.vector_refs.push_back(VectorRef{&m_, idx});
      }
      m_.vars.push_back(std::move(var));
    }
  }

 public:
  // Compiles one expression in a scope; TOML numbers and booleans are kept
  // as constants (no parser). Undefined names and syntax errors are found
  // here, when the file is loaded, not when a network is lowered.
  Expr compile(const toml::node* node, const std::string& key, const Scope& scope, bool with_vectors = true) {
    Expr e;
    e.key = key;
    e.where = m_.where_line(static_cast<int>(node->source().begin.line));
    if (node->is_boolean()) {
      e.value = *node->value<bool>() ? 1.0 : 0.0;
      return e;
    }
    if (node->is_number()) {
      e.value = *node->value<double>();
      return e;
    }
    if (!node->is_string())
      fail(node, key, "is neither a number nor an expression string", "write a number, true/false, or an expression such as \"2 * width\"");
    e.text = *node->value<std::string>();
    e.constant = false;
    e.parser = std::make_unique<mu::Parser>();
    mu::Parser& p = *e.parser;
    try {
      p.DefineFun("make_divisible", make_divisible_fn);
      p.DefineFun("floor", floor_fn);
      p.DefineFun("ceil", ceil_fn);
      if (with_vectors) {
        for (VectorRef& ref : m_.vector_refs) p.DefineFunUserData(m_.vars[ref.var].name, vector_read, &ref, false);
      }
      for (const auto& [name, cell] : scope) p.DefineVar(name, cell);
      p.SetExpr(e.text);
      const mu::varmap_type used = p.GetUsedVar();
      for (const auto& [name, cell] : used) {
        if (!scope.count(name)) {
          std::string hint;
          const auto it = kind_of_.find(name);
          if (it != kind_of_.end() && it->second == "vector variable") hint = " ('" + name + "' is a vector: read an element as " + name + "(i))";
          else if (it != kind_of_.end()) hint = " (a " + it->second + " is not visible here)";
          fail(node, key, "expression '" + e.text + "' uses '" + name + "', which is not defined here" + hint,
               "define it under [constants] or [[variables]], pass it to the block with `with` and list it in the "
               "block's params, or correct the spelling (built-ins: cin, hin, win, b, first, activations)");
        }
      }
      for (std::size_t v = 0; v < m_.vars.size(); ++v) {
        if (m_.vars[v].count == 0 && used.count(m_.vars[v].name) && scope.at(m_.vars[v].name) == m_.scalar_cell[v])
          e.scalars.push_back(static_cast<int>(v));
      }
    } catch (const mu::ParserError& err) {
      std::string hint;
      const auto it = kind_of_.find(err.GetToken());
      if (it != kind_of_.end() && it->second == "vector variable")
        hint = " ('" + err.GetToken() + "' is a vector: read an element as " + err.GetToken() + "(i))";
      else if (!with_vectors && it != kind_of_.end() && it->second == "variable")
        hint = " (constants cannot read decision variables)";
      fail(node, key, "expression '" + e.text + "': " + err.GetMsg() + hint,
           "correct the expression (muParser syntax: + - * / ^, comparisons, && ||, c ? a : b, name(i) for a vector "
           "element, make_divisible(x), floor(x), ceil(x), min(a, b), max(a, b))");
    }
    return e;
  }

 private:
  void load_constants() {
    for (const Variable& v : m_.vars) {
      if (v.count) kind_of_[v.name] = "vector variable";
    }
    const toml::node* node = root_.get("constants");
    if (!node) return;
    if (!node->is_table()) fail(node, "constants", "must be a table", "write [constants] with name = value lines");
    const toml::table& t = *node->as_table();
    // Constants may refer to each other in any order (TOML tables have
    // none); they are evaluated in dependency order, and a cycle is an error.
    Scope scope = global_;
    for (const auto& [k, v] : t) {
      const std::string name(k.str());
      claim(&v, "constants." + name, name, "constant");
      scope[name] = m_.new_cell(0);
    }
    for (const Variable& v : m_.vars) scope.erase(v.name);  // constants are fixed numbers
    std::map<std::string, Expr> exprs;
    std::map<std::string, std::vector<std::string>> deps;
    for (const auto& [k, v] : t) {
      const std::string name(k.str());
      exprs.emplace(name, compile(&v, "constants." + name, scope, false));
      if (!exprs.at(name).constant) {
        for (const auto& [used, cell] : exprs.at(name).parser->GetUsedVar()) {
          if (t.contains(used)) deps[name].push_back(used);
        }
      }
    }
    std::map<std::string, int> state;  // 0 new, 1 in progress, 2 done
    std::vector<std::string> path;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
      if (state[name] == 2) return;
      if (state[name] == 1) {
        std::string cycle;
        auto from = std::find(path.begin(), path.end(), name);
        for (auto it = from; it != path.end(); ++it) cycle += *it + " -> ";
        fail(t.get(name), "constants." + name, "constants refer to each other in a cycle: " + cycle + name,
             "break the cycle: one of them must be a number or depend only on others");
      }
      state[name] = 1;
      path.push_back(name);
      for (const std::string& d : deps[name]) visit(d);
      path.pop_back();
      const Expr& e = exprs.at(name);
      try {
        *scope.at(name) = e.eval(m_);
      } catch (const LowerError& err) {
        fail(t.get(name), "constants." + name, err.what, err.fix);
      }
      state[name] = 2;
    };
    for (const auto& [k, v] : t) visit(std::string(k.str()));
    for (const auto& [k, v] : t) global_[std::string(k.str())] = scope.at(std::string(k.str()));
  }

  void load_input() {
    const toml::node* node = root_.get("input");
    if (!node || !node->is_table())
      fail(node, "input", "is missing or not a table", "write [input] with channels = 3 and size = 224 (or an expression such as \"r\")");
    const toml::table& t = *node->as_table();
    for (const auto& [k, v] : t) {
      const std::string name(k.str());
      if (name != "channels" && name != "size") fail(&v, "input." + name, "is not a key of [input]", "use channels and size");
    }
    const toml::node* c = t.get("channels");
    const toml::node* s = t.get("size");
    if (!c) fail(node, "input.channels", "is missing", "e.g. channels = 3");
    if (!s) fail(node, "input.size", "is missing", "e.g. size = 224, or size = \"r\" for a resolution variable r");
    m_.input_channels = compile(c, "input.channels", global_);
    m_.input_size = compile(s, "input.size", global_);
  }

  void load_blocks() {
    const toml::node* node = root_.get("blocks");
    if (!node) return;
    if (!node->is_table()) fail(node, "blocks", "must be a table of blocks", "write each block as [blocks.NAME] with ops = [...]");
    for (const auto& [k, v] : *node->as_table()) {
      const std::string name(k.str());
      const std::string key = "blocks." + name;
      if (!v.is_table()) fail(&v, key, "must be a table", "write [blocks." + name + "] with params, ops and residual");
      for (const auto& [bk, bv] : *v.as_table()) {
        const std::string kk(bk.str());
        if (kk != "params" && kk != "ops" && kk != "residual")
          fail(&bv, key + "." + kk, "is not a key of a block", "use params, ops and residual");
      }
      const toml::node* ops = v.as_table()->get("ops");
      if (!ops || !ops->is_array() || ops->as_array()->empty())
        fail(ops ? ops : &v, key + ".ops", "is missing or empty", "list the block's layers, e.g. ops = [{ op = \"conv\", out = 32, kernel = 3 }]");
      blocks_[name] = v.as_table();
    }
  }

  std::unique_ptr<OpNode> compile_op(const toml::table& t, const std::string& key, const Scope& scope) {
    if (++ops_ > kMaxOps)
      fail(&t, key, "the network unrolls to more than " + std::to_string(kMaxOps) + " ops (repeats of nested blocks multiply)",
           "lower max_repeat or nest fewer repeated blocks");
    auto op = std::make_unique<OpNode>();
    op->key = key;
    op->where = m_.where_line(static_cast<int>(t.source().begin.line));
    const toml::node* kind = t.get("op");
    if (!kind->is_string()) fail(kind, key + ".op", "must be a string", "e.g. op = \"conv\"");
    const std::string name = *kind->value<std::string>();
    static const std::map<std::string, OpType> kOps{
        {"conv", OpType::Conv},       {"dwconv", OpType::DwConv},       {"se", OpType::SqueezeExcite},
        {"gap", OpType::GlobalAvgPool}, {"avgpool", OpType::AvgPool}, {"maxpool", OpType::MaxPool},
        {"linear", OpType::Linear},   {"bn", OpType::BatchNorm},        {"act", OpType::Activation}};
    const auto it = kOps.find(name);
    if (it == kOps.end())
      fail(kind, key + ".op", "unknown op kind '" + name + "'",
           "use one of conv, dwconv, se, gap, avgpool, maxpool, linear, bn, act");
    op->type = it->second;
    // Which fields each kind takes, which it needs, and their defaults.
    struct FieldSpec {
      const char* name;
      Expr OpNode::*member;
      bool required;
      double def;
    };
    std::vector<FieldSpec> fields;
    switch (op->type) {
      case OpType::Conv:
        fields = {{"out", &OpNode::out, true, 0}, {"kernel", &OpNode::kernel, true, 0}, {"stride", &OpNode::stride, false, 1},
                  {"groups", &OpNode::groups, false, 1}, {"bn", &OpNode::bn, false, 1}, {"act", &OpNode::act, false, 0},
                  {"bias", &OpNode::bias, false, 0}};
        break;
      case OpType::DwConv:
        fields = {{"kernel", &OpNode::kernel, true, 0}, {"stride", &OpNode::stride, false, 1}, {"bn", &OpNode::bn, false, 1},
                  {"act", &OpNode::act, false, 0}};
        break;
      case OpType::SqueezeExcite: fields = {{"hidden", &OpNode::hidden, true, 0}}; break;
      case OpType::AvgPool:
      case OpType::MaxPool:
        fields = {{"kernel", &OpNode::kernel, true, 0}, {"stride", &OpNode::stride, false, 0},
                  {"padding", &OpNode::padding, false, 0}};
        op->stride_is_kernel = !t.contains("stride");
        break;
      case OpType::Linear:
        fields = {{"out", &OpNode::out, true, 0}, {"bias", &OpNode::bias, false, 1}, {"act", &OpNode::act, false, 0}};
        break;
      case OpType::Activation: fields = {{"act", &OpNode::act, true, 0}}; break;
      case OpType::GlobalAvgPool:
      case OpType::BatchNorm: break;
    }
    for (const auto& [k, v] : t) {
      const std::string field(k.str());
      if (field == "op" || field == "when") continue;
      if (std::none_of(fields.begin(), fields.end(), [&](const FieldSpec& f) { return field == f.name; })) {
        std::string allowed = "op, when";
        for (const FieldSpec& f : fields) allowed += std::string(", ") + f.name;
        fail(&v, key + "." + field, "is not a field of op '" + name + "'", "use " + allowed);
      }
    }
    for (const FieldSpec& f : fields) {
      if (const toml::node* n = t.get(f.name)) {
        op.get()->*f.member = compile(n, key + "." + f.name, scope);
      } else if (f.required) {
        fail(&t, key + "." + f.name, "is missing: op '" + name + "' needs it", std::string("give ") + f.name + " (a number or an expression)");
      } else {
        (op.get()->*f.member).value = f.def;
        (op.get()->*f.member).key = key + "." + f.name;
        (op.get()->*f.member).where = op->where;
      }
    }
    if (const toml::node* w = t.get("when")) op->when = compile(w, key + ".when", scope);
    return op;
  }

  void flatten(const toml::array& items, const std::string& prefix, const Scope& scope, std::vector<std::string>& stack,
               std::vector<Node>& out) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string key = prefix + "[" + std::to_string(i) + "]";
      const toml::table* t = items.get(i)->as_table();
      if (!t) fail(items.get(i), key, "must be a table", "write { op = \"...\", ... } or { block = \"...\", ... }");
      const bool has_op = t->contains("op"), has_block = t->contains("block");
      if (has_op == has_block)
        fail(t, key, has_op ? "has both op and block" : "has neither op nor block",
             "give op = \"conv\" (one layer) or block = \"NAME\" (a [blocks.NAME] template)");
      Node node;
      if (has_op) {
        node.op = compile_op(*t, key, scope);
      } else {
        node.group = compile_group(*t, key, scope, stack);
      }
      out.push_back(std::move(node));
    }
  }

  std::unique_ptr<GroupNode> compile_group(const toml::table& t, const std::string& key, const Scope& scope,
                                           std::vector<std::string>& stack) {
    auto g = std::make_unique<GroupNode>();
    g->key = key;
    g->where = m_.where_line(static_cast<int>(t.source().begin.line));
    for (const auto& [k, v] : t) {
      const std::string kk(k.str());
      if (kk != "block" && kk != "repeat" && kk != "max_repeat" && kk != "when" && kk != "with")
        fail(&v, key + "." + kk, "is not a key of a block use", "use block, repeat, max_repeat, when and with");
    }
    const toml::node* bn = t.get("block");
    if (!bn->is_string()) fail(bn, key + ".block", "must be a string", "name a [blocks.NAME] table");
    g->block = *bn->value<std::string>();
    const auto bit = blocks_.find(g->block);
    if (bit == blocks_.end()) {
      std::string known;
      for (const auto& [name, tab] : blocks_) known += (known.empty() ? "" : ", ") + name;
      fail(bn, key + ".block", "no block named '" + g->block + "'",
           known.empty() ? "define it as [blocks." + g->block + "]" : "use one of " + known + " or define [blocks." + g->block + "]");
    }
    if (std::find(stack.begin(), stack.end(), g->block) != stack.end()) {
      std::string cycle;
      for (auto it = std::find(stack.begin(), stack.end(), g->block); it != stack.end(); ++it) cycle += *it + " -> ";
      fail(bn, key + ".block", "blocks use each other in a cycle: " + cycle + g->block,
           "a block may use other blocks, but never (through others) itself");
    }
    const toml::table& block = *bit->second;
    const std::string bkey = "blocks." + g->block;

    if (const toml::node* r = block.get("residual")) {
      const std::optional<std::string> s = r->value<std::string>();
      if (!r->is_string() || (*s != "auto" && *s != "always" && *s != "never"))
        fail(r, bkey + ".residual", "must be \"auto\", \"always\" or \"never\"",
             "\"auto\" adds the block's input to its output when their shapes match, \"always\" requires that they do");
      g->residual = *s == "auto" ? Residual::Auto : *s == "always" ? Residual::Always : Residual::Never;
      g->residual_where = m_.where_line(static_cast<int>(r->source().begin.line));
    }

    if (const toml::node* mr = t.get("max_repeat")) {
      if (!mr->is_integer() || *mr->value<int64_t>() < 1 || *mr->value<int64_t>() > 10000)
        fail(mr, key + ".max_repeat", "must be a whole number of at least 1", "give the most repeats the block can have, e.g. max_repeat = 4");
      g->max_repeat = static_cast<int>(*mr->value<int64_t>());
    }
    if (const toml::node* r = t.get("repeat")) {
      if (r->is_integer() && !t.contains("max_repeat")) g->max_repeat = static_cast<int>(std::max<int64_t>(0, *r->value<int64_t>()));
      else if (!r->is_integer() && !t.contains("max_repeat"))
        fail(r, key + ".max_repeat", "is missing: repeat is an expression", "give the most repeats it can reach, e.g. max_repeat = 4 for depths {2, 3, 4}");
      g->repeat = compile(r, key + ".repeat", scope);
      if (!r->is_integer() && !r->is_string())
        fail(r, key + ".repeat", "must be a whole number or an expression", "e.g. repeat = \"d(0)\" with a depth variable d");
      // A repeat bound to a variable whose choices are not all whole
      // numbers is wrong for every architecture; say so at once.
      for (int v : g->repeat->scalars) {
        if (!m_.vars[v].integer || !m_.vars[v].numeric)
          fail(r, key + ".repeat", "reads variable '" + m_.vars[v].name + "', whose choices are not all whole numbers",
               "bind repeats to an integer variable, e.g. choices = [2, 3, 4]");
      }
    }
    if (const toml::node* w = t.get("when")) g->when = compile(w, key + ".when", scope);

    std::vector<std::string> params;
    if (const toml::node* p = block.get("params")) {
      if (!p->is_array()) fail(p, bkey + ".params", "must be an array of names", "e.g. params = [\"width\", \"stride\"]");
      for (const auto& x : *p->as_array()) {
        if (!x.is_string()) fail(&x, bkey + ".params", "must list names (strings)", "e.g. params = [\"width\", \"stride\"]");
        const std::string name = *x.value<std::string>();
        if (!is_identifier(name) || kReserved.count(name))
          fail(&x, bkey + ".params", "'" + name + "' cannot be a parameter name", "use letters, digits and '_', not a built-in name");
        if (scope.count(name))
          fail(&x, bkey + ".params", "parameter '" + name + "' hides a name of the enclosing scope", "rename the parameter");
        params.push_back(name);
      }
    }
    const toml::node* with = t.get("with");
    if (with && !with->is_table()) fail(with, key + ".with", "must be a table", "e.g. with = { width = 32, stride = 2 }");
    if (with) {
      for (const auto& [k, v] : *with->as_table()) {
        if (std::find(params.begin(), params.end(), std::string(k.str())) == params.end())
          fail(&v, key + ".with." + std::string(k.str()), "is not a parameter of block '" + g->block + "'",
               "add it to " + bkey + ".params or remove it");
      }
    }
    for (const std::string& p : params) {
      if (!with || !with->as_table()->contains(p))
        fail(with ? with : static_cast<const toml::node*>(&t), key + ".with." + p, "is missing: block '" + g->block + "' takes it",
             "give it in with = { " + p + " = ... }");
    }

    stack.push_back(g->block);
    for (int k = 0; k < g->max_repeat; ++k) {
      Copy copy;
      Scope inner = scope;
      inner["b"] = m_.new_cell(k);
      inner["first"] = m_.new_cell(k == 0 ? 1 : 0);
      for (const std::string& p : params) {
        double* cell = m_.new_cell(0);
        copy.bindings.emplace_back(cell, compile(with->as_table()->get(p), key + ".with." + p, scope));
        inner[p] = cell;
      }
      flatten(*block.get("ops")->as_array(), bkey + ".ops", inner, stack, copy.children);
      g->copies.push_back(std::move(copy));
    }
    stack.pop_back();
    return g;
  }
};

int64_t whole(const Expr& e, double v, const char* what, int64_t min) {
  if (!std::isfinite(v) || std::abs(v - std::round(v)) > 1e-9)
    throw LowerError{e.where, e.key, std::string(what) + " is " + number_text(v) + ", not a whole number",
                     "round it in the expression, e.g. floor(x) or make_divisible(x)"};
  // Layer fields are ints in NetworkSpec; anything near that range is a
  // mistake in the expression, not a layer.
  constexpr double kLargest = 1 << 30;
  if (std::abs(v) > kLargest)
    throw LowerError{e.where, e.key, std::string(what) + " is " + number_text(v) + ", beyond any layer (at most 2^30)",
                     "check the expression's scale"};
  const auto n = static_cast<int64_t>(std::llround(v));
  if (n < min)
    throw LowerError{e.where, e.key, std::string(what) + " is " + std::to_string(n) + (min > 0 ? "; a layer needs at least " : "; it must be at least ") + std::to_string(min),
                     "make the expression give " + std::to_string(min) + " or more for every architecture"};
  return n;
}

std::string shape_text(const TensorShape& s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
}

}  // namespace

double Impl::element_value(int element) {
  const int choice = assign[element];
  if (choice < 0) throw Branch{element};
  read[element] = 1;
  return vars[element_var[element]].values[choice];
}

double Expr::eval(Impl& m) const {
  if (constant) return value;
  for (int v : scalars) *m.scalar_cell[v] = m.element_value(m.vars[v].base);
  try {
    return parser->Eval();
  } catch (const mu::ParserError& err) {
    throw LowerError{where, key, "expression '" + text + "': " + err.GetMsg(), "correct the expression"};
  } catch (const IndexError& err) {
    throw LowerError{where, key, "expression '" + text + "': " + err.what, "index vectors from 0 to their count - 1"};
  }
}

TensorShape Impl::input_shape() {
  const int64_t c = whole(input_channels, input_channels.eval(*this), "the input's channels", 1);
  const int64_t s = whole(input_size, input_size.eval(*this), "the input's size", 1);
  return TensorShape{c, s, s};
}

void Impl::run(const std::vector<Node>& nodes, NetworkBuilder& b) {
  for (const Node& n : nodes) {
    if (n.op) run_op(*n.op, b);
    else run_group(*n.group, b);
  }
}

void Impl::run_entry(std::size_t entry, NetworkBuilder& b) {
  const Node& n = network[entry];
  if (n.op) run_op(*n.op, b);
  else run_group(*n.group, b);
}

void Impl::run_group(const GroupNode& g, NetworkBuilder& b) {
  if (g.when && g.when->eval(*this) == 0.0) return;
  int repeats = g.max_repeat;
  if (g.repeat) {
    const double r = g.repeat->eval(*this);
    if (!std::isfinite(r) || std::abs(r - std::round(r)) > 1e-9)
      throw LowerError{g.repeat->where, g.repeat->key, "repeat is " + number_text(r) + ", not a whole number",
                       "bind repeats to an integer variable, e.g. choices = [2, 3, 4]"};
    if (r < 0 || r > g.max_repeat)
      throw LowerError{g.repeat->where, g.repeat->key,
                       "repeat is " + number_text(r) + ", outside 0.." + std::to_string(g.max_repeat) + " (max_repeat)",
                       "raise max_repeat to the largest repeat the variable allows"};
    repeats = static_cast<int>(std::llround(r));
  }
  for (int k = 0; k < repeats; ++k) {
    const Copy& copy = g.copies[k];
    for (const auto& [cell, expr] : copy.bindings) *cell = expr.eval(*this);
    const int input = b.current();
    run(copy.children, b);
    if (g.residual == Residual::Never || b.current() == input) continue;
    const TensorShape& in = b.shape_of(input);
    const TensorShape& out = b.current_shape();
    if (in == out) {
      b.add(input, b.current());
    } else if (g.residual == Residual::Always) {
      throw LowerError{g.residual_where, "blocks." + g.block + ".residual",
                       "residual \"always\" adds the block's input " + shape_text(in) + " to its output " + shape_text(out) +
                           " (in " + g.key + ", repeat " + std::to_string(k) + ")",
                       "make the shapes match (same channels, stride 1) or use residual = \"auto\""};
    }
  }
}

void Impl::run_op(const OpNode& op, NetworkBuilder& b) {
  if (op.when && op.when->eval(*this) == 0.0) return;
  const TensorShape in = b.current_shape();
  *cin = static_cast<double>(in.channels);
  *hin = static_cast<double>(in.height);
  *win = static_cast<double>(in.width);
  auto act_of = [&](const Expr& e) {
    const int64_t code = whole(e, e.eval(*this), "the activation", 0);
    if (code >= static_cast<int64_t>(kActivations.size()))
      throw LowerError{e.where, e.key, "activation code " + std::to_string(code) + " is no activation",
                       "use none, relu, relu6, hswish, hsigmoid or sigmoid"};
    return kActivations[code].second;
  };
  auto flag = [&](const Expr& e, const char* what) { return whole(e, e.eval(*this), what, 0) != 0; };
  auto spatial = [&](int64_t kernel, int64_t stride, int64_t padding) {
    const int64_t h = (in.height + 2 * padding - kernel) / stride + 1;
    const int64_t w = (in.width + 2 * padding - kernel) / stride + 1;
    if (in.height + 2 * padding < kernel || in.width + 2 * padding < kernel || h < 1 || w < 1)
      throw LowerError{op.kernel.where, op.kernel.key,
                       "a " + std::to_string(kernel) + "x" + std::to_string(kernel) + " window on a " +
                           std::to_string(in.height) + "x" + std::to_string(in.width) + " map (padding " +
                           std::to_string(padding) + ") leaves a zero-size output",
                       "use a smaller kernel or stride, or reduce the resolution less before this layer"};
  };
  switch (op.type) {
    case OpType::Conv:
    case OpType::DwConv: {
      const bool dw = op.type == OpType::DwConv;
      const int64_t out = dw ? in.channels : whole(op.out, op.out.eval(*this), "out (channels)", 1);
      const int64_t kernel = whole(op.kernel, op.kernel.eval(*this), "kernel", 1);
      const int64_t stride = whole(op.stride, op.stride.eval(*this), "stride", 1);
      const int64_t groups = dw ? in.channels : whole(op.groups, op.groups.eval(*this), "groups", 1);
      if (in.channels % groups || out % groups)
        throw LowerError{op.groups.where, op.groups.key,
                         "channels " + std::to_string(in.channels) + " -> " + std::to_string(out) + " do not divide by groups = " +
                             std::to_string(groups),
                         "choose groups that divide both the input channels (cin) and out"};
      spatial(kernel, stride, kernel / 2);
      const bool bn = flag(op.bn, "bn");
      const ActivationKind act = act_of(op.act);
      b.conv(out, static_cast<int>(kernel), static_cast<int>(stride), static_cast<int>(groups), bn, act,
             dw ? false : flag(op.bias, "bias"));
      return;
    }
    case OpType::SqueezeExcite:
      b.squeeze_excite(whole(op.hidden, op.hidden.eval(*this), "hidden (channels)", 1));
      return;
    case OpType::GlobalAvgPool: b.global_avg_pool(); return;
    case OpType::AvgPool:
    case OpType::MaxPool: {
      const int64_t kernel = whole(op.kernel, op.kernel.eval(*this), "kernel", 1);
      const int64_t stride = op.stride_is_kernel ? kernel : whole(op.stride, op.stride.eval(*this), "stride", 1);
      const int64_t padding = whole(op.padding, op.padding.eval(*this), "padding", 0);
      if (2 * padding > kernel)
        throw LowerError{op.padding.where, op.padding.key, "padding " + std::to_string(padding) + " is more than half the kernel " + std::to_string(kernel),
                         "use padding <= kernel / 2"};
      spatial(kernel, stride, padding);
      if (op.type == OpType::AvgPool) b.avg_pool(static_cast<int>(kernel), static_cast<int>(stride), static_cast<int>(padding));
      else b.max_pool(static_cast<int>(kernel), static_cast<int>(stride), static_cast<int>(padding));
      return;
    }
    case OpType::Linear:
      b.linear(whole(op.out, op.out.eval(*this), "out (features)", 1), flag(op.bias, "bias"), act_of(op.act));
      return;
    case OpType::BatchNorm: b.batch_norm(); return;
    case OpType::Activation: b.activation(act_of(op.act)); return;
  }
}

NetworkSpec Impl::lower_locked(const Architecture& arch) {
  assign.assign(arch.begin(), arch.end());
  read.assign(arch.size(), 0);
  NetworkBuilder b(name, input_shape());
  run(network, b);
  if (b.current() == kNetworkInput)
    throw LowerError{file, "network", "this architecture has no layers (every entry is skipped)",
                     "make at least one layer unconditional"};
  return std::move(b).finish();
}

// ---------------------------------------------------------------------------

std::vector<ConfigKey> DeclarativeSpace::config_keys() {
  return {ConfigKey::path("file",
                          "The space's TOML file (variables, constants, blocks, network; docs/spaces.md), relative to "
                          "the config file's folder")};
}

DeclarativeSpace::DeclarativeSpace(const PluginContext& context)
    : DeclarativeSpace(context.config.get_path("file")) {}

DeclarativeSpace::DeclarativeSpace(const std::string& path) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.file = path;
  Loader(m).load();
  // Validation: lower the all-first and all-last architectures and every
  // single-variable change of each, so an undefined shape (channels not
  // divisible by groups, a zero-size layer, a residual of different
  // shapes) is found when the file is loaded, for most templates, instead
  // of in the middle of a search.
  std::vector<Architecture> probes;
  Architecture first(m.decision.size(), 0), last(m.decision.size(), 0);
  for (std::size_t i = 0; i < last.size(); ++i) last[i] = m.decision[i].cardinality() - 1;
  probes.push_back(first);
  probes.push_back(last);
  for (std::size_t i = 0; i < first.size(); ++i) {
    for (int c = 0; c < m.decision[i].cardinality(); ++c) {
      for (const Architecture& base : {first, last}) {
        if (base[i] == c) continue;
        Architecture a = base;
        a[i] = c;
        probes.push_back(std::move(a));
      }
    }
  }
  for (const Architecture& a : probes) {
    try {
      m.lower_locked(a);
    } catch (const LowerError& e) {
      throw ConfigError(e.where + ": key '" + e.key + "': " + e.what + " (architecture '" + SearchSpace::to_string(a) +
                        "'); fix: " + e.fix);
    }
  }
}

DeclarativeSpace::~DeclarativeSpace() = default;

std::vector<char> Impl::variables_read(const Architecture& arch) {
  std::lock_guard<std::mutex> lock(mutex);
  lower_locked(arch);
  return read;
}

std::vector<char> Impl::variables_read_checked(const Architecture& arch) {
  try {
    return variables_read(arch);
  } catch (const LowerError& e) {
    throw ArchitectureError(e.where + ": key '" + e.key + "': " + e.what + "; fix: " + e.fix);
  }
}

const std::string& DeclarativeSpace::file() const { return impl_->file; }

const std::vector<DecisionVariable>& DeclarativeSpace::variables() const { return impl_->decision; }

NetworkSpec DeclarativeSpace::lower(const Architecture& arch) const {
  check(arch);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    return impl_->lower_locked(arch);
  } catch (const LowerError& e) {
    throw ArchitectureError(e.where + ": key '" + e.key + "': " + e.what + " (architecture '" +
                            SearchSpace::to_string(arch) + "'); fix: " + e.fix);
  }
}

Architecture DeclarativeSpace::canonicalize(const Architecture& arch) const {
  check(arch);
  const std::vector<char> read = impl_->variables_read_checked(arch);
  Architecture out = arch;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!read[i]) out[i] = 0;
  }
  return out;
}

std::vector<double> DeclarativeSpace::encode(const Architecture& arch) const {
  check(arch);
  const std::vector<char> read = impl_->variables_read_checked(arch);
  std::vector<double> x(encoding_size(), 0.0);
  std::size_t offset = 0;
  const auto& vars = variables();
  for (std::size_t i = 0; i < vars.size(); ++i) {
    if (read[i]) x[offset + arch[i]] = 1.0;
    offset += vars[i].cardinality();
  }
  return x;
}

// ---------------------------------------------------------------------------
// Exploration. The top-level [[network]] entries run one after another and
// each sees only the tensor the previous one left. If no decision variable
// is read by two entries (nor by an entry and [input]), the layers an entry
// can produce are exactly those it produces from some reachable input shape
// under some setting of the variables it reads, and any such setting joins
// any setting of the other entries into one valid architecture. So each
// entry is explored alone, from each shape the entries before it can leave:
// it is run with its variables unset, and whenever it reads one, each
// choice is tried (Branch). That visits each distinct sub-network of an
// entry once (OFA: 9^2 + 9^3 + 9^4 per stage and input shape instead of
// 3 * 9^4), gives the layer signatures exactly, and carries per shape the
// number of distinct networks and the cheapest and dearest way to reach it
// (MACs, then parameters, add up over entries). When entries share a
// variable, the whole network is explored as one entry (exact as well, but
// only for small spaces).

namespace {

constexpr int64_t kMaxLeaves = 4'000'000;

struct ShapeKey {
  TensorShape s;
  bool operator<(const ShapeKey& o) const {
    return std::tie(s.channels, s.height, s.width) < std::tie(o.s.channels, o.s.height, o.s.width);
  }
};

struct Best {
  int64_t macs = 0, params = 0;
  std::vector<std::pair<int, int>> choices;  // decision variable, choice
};

struct StateInfo {
  boost::multiprecision::cpp_int count = 0;
  Best min, max;
};

}  // namespace

const Exploration& Impl::explore() {
  if (explored) return *explored;
  Exploration ex;
  std::set<std::string> seen_keys;
  int64_t leaves = 0;
  std::vector<int> reader(assign.size(), -1);  // which entry read each variable (-2: [input])
  bool shared = false;

  // Runs `body` for every setting of the variables it reads; `leaf` sees each.
  std::function<void(const std::function<void()>&, const std::function<void()>&)> enumerate =
      [&](const std::function<void()>& body, const std::function<void()>& leaf) {
        try {
          std::fill(read.begin(), read.end(), 0);
          body();
        } catch (const Branch& br) {
          const int n = decision[br.element].cardinality();
          for (int c = 0; c < n; ++c) {
            assign[br.element] = c;
            enumerate(body, leaf);
          }
          assign[br.element] = -1;
          return;
        }
        if (++leaves > kMaxLeaves)
          throw Error(file + ": the space is too large to list its layers exactly (over " + std::to_string(kMaxLeaves) +
                      " sub-networks in one [[network]] entry" + (shared ? " or in the whole network, as entries share variables" : "") +
                      "); fix: let each [[network]] entry read its own variables, or build the table by sampling");
        leaf();
      };

  auto explore_items = [&](bool as_one) {
    ex = Exploration{};
    seen_keys.clear();
    leaves = 0;
    assign.assign(decision.size(), -1);
    read.assign(decision.size(), 0);
    std::fill(reader.begin(), reader.end(), -1);
    std::map<ShapeKey, StateInfo> states;
    auto add_layers = [&](NetworkSpec& spec) {
      for (Layer& l : spec.layers) {
        if (seen_keys.insert(l.key()).second) ex.layers.push_back(std::move(l));
      }
    };
    auto settled = [&]() {
      std::vector<std::pair<int, int>> out;
      for (std::size_t i = 0; i < assign.size(); ++i) {
        if (assign[i] >= 0) out.emplace_back(static_cast<int>(i), assign[i]);
      }
      return out;
    };
    auto note_reads = [&](int entry) {
      for (std::size_t i = 0; i < assign.size(); ++i) {
        if (assign[i] < 0) continue;
        if (reader[i] != -1 && reader[i] != entry) shared = true;
        reader[i] = entry;
      }
    };
    if (as_one) {
      StateInfo total;
      bool any = false;
      NetworkSpec spec;
      enumerate(
          [&]() {
            NetworkBuilder b(name, input_shape());
            run(network, b);
            spec = std::move(b).finish();
          },
          [&]() {
            int64_t macs = 0, params = 0;
            for (const Layer& l : spec.layers) macs += layer_macs(l), params += layer_params(l);
            add_layers(spec);
            Best cand{macs, params, settled()};
            if (!any || std::tie(macs, params) < std::tie(total.min.macs, total.min.params)) total.min = cand;
            if (!any || std::tie(macs, params) > std::tie(total.max.macs, total.max.params)) total.max = cand;
            any = true;
            total.count += 1;
          });
      states[ShapeKey{}] = total;
    } else {
      enumerate([&]() { input_shape(); },
                [&]() {
                  note_reads(-2);
                  StateInfo& st = states[ShapeKey{input_shape()}];
                  if (st.count == 0) st.min.choices = st.max.choices = settled();
                  st.count += 1;
                });
      for (std::size_t e = 0; e < network.size(); ++e) {
        std::map<ShapeKey, StateInfo> next;
        for (const auto& [key, st] : states) {
          const TensorShape in = key.s;
          NetworkSpec spec;
          TensorShape out;
          enumerate(
              [&]() {
                NetworkBuilder b(name, in);
                run_entry(e, b);
                out = b.current_shape();
                spec = std::move(b).finish();
              },
              [&]() {
                int64_t macs = 0, params = 0;
                for (const Layer& l : spec.layers) macs += layer_macs(l), params += layer_params(l);
                add_layers(spec);
                note_reads(static_cast<int>(e));
                const std::vector<std::pair<int, int>> mine = settled();
                StateInfo& nx = next[ShapeKey{out}];
                auto join = [&](const Best& from) {
                  Best b2{from.macs + macs, from.params + params, from.choices};
                  b2.choices.insert(b2.choices.end(), mine.begin(), mine.end());
                  return b2;
                };
                const Best lo = join(st.min), hi = join(st.max);
                if (nx.count == 0 || std::tie(lo.macs, lo.params) < std::tie(nx.min.macs, nx.min.params)) nx.min = lo;
                if (nx.count == 0 || std::tie(hi.macs, hi.params) > std::tie(nx.max.macs, nx.max.params)) nx.max = hi;
                nx.count += st.count;
              });
        }
        states = std::move(next);
      }
    }
    StateInfo total;
    bool any = false;
    for (const auto& [key, st] : states) {
      if (!any || std::tie(st.min.macs, st.min.params) < std::tie(total.min.macs, total.min.params)) total.min = st.min;
      if (!any || std::tie(st.max.macs, st.max.params) > std::tie(total.max.macs, total.max.params)) total.max = st.max;
      total.count += st.count;
      any = true;
    }
    ex.smallest.assign(decision.size(), 0);
    ex.largest.assign(decision.size(), 0);
    for (const auto& [i, c] : total.min.choices) ex.smallest[i] = c;
    for (const auto& [i, c] : total.max.choices) ex.largest[i] = c;
    ex.distinct = total.count.str();
  };

  try {
    explore_items(false);
    if (shared) explore_items(true);
  } catch (const LowerError& e) {
    throw ArchitectureError(e.where + ": key '" + e.key + "': " + e.what + " (found while listing the space's networks); fix: " + e.fix);
  }
  explored = std::move(ex);
  return *explored;
}

std::vector<Layer> DeclarativeSpace::distinct_layers() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->explore().layers;
}

Architecture DeclarativeSpace::smallest() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->explore().smallest;
}

Architecture DeclarativeSpace::largest() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->explore().largest;
}

std::string DeclarativeSpace::distinct_networks() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->explore().distinct;
}

}  // namespace nasctl::spaces::declarative
