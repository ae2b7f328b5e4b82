// Internals of the declarative space shared by its two source files: the
// loaded template (variables, compiled expressions, the unrolled network)
// and the evaluation state one lowering uses. muParser stays out of the
// public header.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <muParser.h>

#include "declarative_space.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl::spaces::declarative {

// One [[variables]] entry: a scalar (count 0) or a vector of `count`
// elements with one choice set. Its elements are the space's decision
// variables base .. base + max(count, 1) - 1.
struct Variable {
  std::string name;
  int base = 0;
  int count = 0;  // 0: scalar
  std::vector<std::string> labels;
  std::vector<double> values;  // numeric value, or the choice index for strings
  bool numeric = true;
  bool integer = true;  // every value a whole number
  int elements() const { return count == 0 ? 1 : count; }
};

// What went wrong while lowering, located at a template key; lower() turns
// it into an ArchitectureError, the constructor's validation into a
// ConfigError.
struct LowerError {
  std::string where;  // "file:line"
  std::string key;    // e.g. "blocks.mbconv.ops[1].out"
  std::string what;
  std::string fix;
};

// The exploration reads a decision variable that is not set yet: the
// caller tries each of its choices (declarative_space.cpp, explore()).
struct Branch {
  int element = 0;
};

struct Impl;

// A number or a compiled expression. Scalar decision variables are bound
// to cells that eval() fills from the architecture; vector elements are
// read through functions (name(i)) that record what the network reads.
struct Expr {
  bool constant = true;
  double value = 0.0;
  std::unique_ptr<mu::Parser> parser;
  std::vector<int> scalars;  // Variable indexes of the scalar variables it reads
  std::string key;
  std::string where;
  std::string text;

  double eval(Impl& m) const;
};

enum class OpType { Conv, DwConv, SqueezeExcite, GlobalAvgPool, AvgPool, MaxPool, Linear, BatchNorm, Activation };

struct Node;

struct OpNode {
  OpType type = OpType::Conv;
  std::string key, where;
  std::optional<Expr> when;
  Expr out, kernel, stride, groups, padding, hidden, bn, bias, act;
  bool stride_is_kernel = false;  // pools: stride defaults to the kernel
};

// One repetition of a block: its own cells for the block's parameters
// (filled from `with` in the caller's scope) and its own compiled ops.
struct Copy {
  std::vector<std::pair<double*, Expr>> bindings;
  std::vector<Node> children;
};

enum class Residual { Never, Auto, Always };

struct GroupNode {
  std::string key, where, block;
  std::optional<Expr> when, repeat;
  int max_repeat = 1;
  Residual residual = Residual::Never;
  std::string residual_where;
  std::vector<Copy> copies;
};

struct Node {
  std::unique_ptr<OpNode> op;
  std::unique_ptr<GroupNode> group;
};

struct VectorRef {
  Impl* impl = nullptr;
  int var = 0;
};

// What the exploration found (LayerEnumerable, SizeExtremes).
struct Exploration {
  std::vector<Layer> layers;
  Architecture smallest, largest;
  std::string distinct;
};

struct Impl {
  std::string file;
  std::string name = "declarative";
  std::vector<Variable> vars;
  std::vector<DecisionVariable> decision;
  std::vector<int> element_var;  // decision variable -> Variable index
  std::deque<double> cells;      // stable storage every parser binds to
  std::vector<double*> scalar_cell;  // per Variable (null for vectors)
  std::deque<VectorRef> vector_refs;
  double* cin = nullptr;
  double* hin = nullptr;
  double* win = nullptr;
  Expr input_channels, input_size;
  std::vector<Node> network;

  // Evaluation state, guarded by mutex: muParser's parsers and the cells
  // they bind to are shared, so one lowering runs at a time (a lowering
  // takes microseconds; the hardware models that follow it run in parallel).
  mutable std::mutex mutex;
  std::vector<int> assign;  // choice per decision variable; -1: not set (exploration)
  std::vector<char> read;   // decision variables the lowering read
  std::optional<Exploration> explored;

  double* new_cell(double v) {
    cells.push_back(v);
    return &cells.back();
  }
  double element_value(int element);
  // Lowers under the lock held by the caller; throws LowerError.
  NetworkSpec lower_locked(const Architecture& arch);
  // Which decision variables the lowering of `arch` reads (takes the lock;
  // throws LowerError).
  std::vector<char> variables_read(const Architecture& arch);
  // The same, a lowering error as the ArchitectureError the SearchSpace
  // calls throw ("<where>: key '<key>': <what>; fix: <fix>").
  std::vector<char> variables_read_checked(const Architecture& arch);
  void run(const std::vector<Node>& nodes, NetworkBuilder& b);
  void run_op(const OpNode& op, NetworkBuilder& b);
  void run_group(const GroupNode& g, NetworkBuilder& b);
  void run_entry(std::size_t entry, NetworkBuilder& b);
  TensorShape input_shape();
  const Exploration& explore();
  std::string where_line(int line) const { return line > 0 ? file + ":" + std::to_string(line) : file; }
};

}  // namespace nasctl::spaces::declarative
