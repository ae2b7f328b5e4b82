#include "onnx_interpreter.hpp"

#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace nasctl::test {

namespace {

const ::onnx::AttributeProto* attribute(const ::onnx::NodeProto& node, const char* name) {
  for (const auto& a : node.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

int64_t int_attr(const ::onnx::NodeProto& node, const char* name, int64_t fallback) {
  const auto* a = attribute(node, name);
  return a ? a->i() : fallback;
}

float float_attr(const ::onnx::NodeProto& node, const char* name, float fallback) {
  const auto* a = attribute(node, name);
  return a ? a->f() : fallback;
}

std::vector<int64_t> ints_attr(const ::onnx::NodeProto& node, const char* name, std::vector<int64_t> fallback) {
  const auto* a = attribute(node, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

// ONNX pads are [top, left, bottom, right]; ATen pads symmetrically.
std::vector<int64_t> symmetric_pads(const ::onnx::NodeProto& node) {
  const auto p = ints_attr(node, "pads", {0, 0, 0, 0});
  if (p.size() != 4 || p[0] != p[2] || p[1] != p[3])
    throw std::runtime_error(node.name() + ": asymmetric pads are not covered by this evaluator");
  return {p[0], p[1]};
}

// HardSigmoid per the ONNX spec: max(0, min(1, alpha * x + beta)), defaults 0.2 / 0.5.
at::Tensor hard_sigmoid(const at::Tensor& x, float alpha, float beta) { return at::clamp(x * alpha + beta, 0.0, 1.0); }

}  // namespace

at::Tensor tensor_of(const ::onnx::TensorProto& proto) {
  std::vector<int64_t> dims(proto.dims().begin(), proto.dims().end());
  if (proto.data_type() == ::onnx::TensorProto_DataType_FLOAT) {
    at::Tensor t = at::empty(dims, at::kFloat);
    if (proto.has_raw_data()) {
      if (proto.raw_data().size() != static_cast<std::size_t>(t.numel()) * sizeof(float))
        throw std::runtime_error(proto.name() + ": raw_data size does not match dims");
      std::memcpy(t.data_ptr<float>(), proto.raw_data().data(), proto.raw_data().size());
    } else {
      if (proto.float_data_size() != t.numel()) throw std::runtime_error(proto.name() + ": float_data size does not match dims");
      std::copy(proto.float_data().begin(), proto.float_data().end(), t.data_ptr<float>());
    }
    return t;
  }
  if (proto.data_type() == ::onnx::TensorProto_DataType_INT64) {
    at::Tensor t = at::empty(dims, at::kLong);
    if (proto.has_raw_data()) {
      std::memcpy(t.data_ptr<int64_t>(), proto.raw_data().data(), proto.raw_data().size());
    } else {
      if (proto.int64_data_size() != t.numel()) throw std::runtime_error(proto.name() + ": int64_data size does not match dims");
      std::copy(proto.int64_data().begin(), proto.int64_data().end(), t.data_ptr<int64_t>());
    }
    return t;
  }
  throw std::runtime_error(proto.name() + ": data type " + std::to_string(proto.data_type()) + " not covered");
}

at::Tensor run_onnx_graph(const ::onnx::GraphProto& graph, const at::Tensor& input) {
  std::map<std::string, at::Tensor> values;
  for (const auto& init : graph.initializer()) values[init.name()] = tensor_of(init);
  values[graph.input(0).name()] = input;
  auto in = [&](const ::onnx::NodeProto& node, int k) -> const at::Tensor& {
    const auto it = values.find(node.input(k));
    if (it == values.end()) throw std::runtime_error(node.name() + ": input '" + node.input(k) + "' is not computed yet");
    return it->second;
  };
  auto ints_of = [&](const ::onnx::NodeProto& node, int k) {
    const at::Tensor t = in(node, k).contiguous();
    return std::vector<int64_t>(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
  };

  for (const auto& node : graph.node()) {
    const std::string& op = node.op_type();
    at::Tensor y;
    if (op == "Conv") {
      const auto pads = symmetric_pads(node);
      y = at::conv2d(in(node, 0), in(node, 1), node.input_size() > 2 ? in(node, 2) : at::Tensor(),
                     ints_attr(node, "strides", {1, 1}), pads, ints_attr(node, "dilations", {1, 1}),
                     int_attr(node, "group", 1));
    } else if (op == "Relu") {
      y = at::clamp_min(in(node, 0), 0.0);
    } else if (op == "Clip") {
      y = at::clamp(in(node, 0), in(node, 1).item<float>(), in(node, 2).item<float>());
    } else if (op == "HardSwish") {
      y = in(node, 0) * hard_sigmoid(in(node, 0), 1.0f / 6.0f, 0.5f);  // the spec: x * HardSigmoid<1/6, 1/2>(x)
    } else if (op == "HardSigmoid") {
      y = hard_sigmoid(in(node, 0), float_attr(node, "alpha", 0.2f), float_attr(node, "beta", 0.5f));
    } else if (op == "Sigmoid") {
      y = 1.0 / (1.0 + at::exp(-in(node, 0)));
    } else if (op == "Identity") {
      y = in(node, 0);
    } else if (op == "Flatten") {
      const int64_t axis = int_attr(node, "axis", 1);
      const at::Tensor& x = in(node, 0);
      int64_t outer = 1;
      for (int64_t d = 0; d < axis; ++d) outer *= x.size(d);
      y = x.reshape({outer, -1});
    } else if (op == "Gemm") {
      const at::Tensor a = int_attr(node, "transA", 0) ? in(node, 0).t() : in(node, 0);
      const at::Tensor b = int_attr(node, "transB", 0) ? in(node, 1).t() : in(node, 1);
      y = at::matmul(a, b) * float_attr(node, "alpha", 1.0f);
      if (node.input_size() > 2) y = y + in(node, 2) * float_attr(node, "beta", 1.0f);
    } else if (op == "GlobalAveragePool") {
      y = in(node, 0).mean({2, 3}, /*keepdim=*/true);
    } else if (op == "AveragePool") {
      y = at::avg_pool2d(in(node, 0), ints_attr(node, "kernel_shape", {}), ints_attr(node, "strides", {1, 1}),
                         symmetric_pads(node), int_attr(node, "ceil_mode", 0) != 0,
                         int_attr(node, "count_include_pad", 0) != 0);
    } else if (op == "MaxPool") {
      y = at::max_pool2d(in(node, 0), ints_attr(node, "kernel_shape", {}), ints_attr(node, "strides", {1, 1}),
                         symmetric_pads(node), {1, 1}, int_attr(node, "ceil_mode", 0) != 0);
    } else if (op == "Tanh") {
      y = at::tanh(in(node, 0));
    } else if (op == "Erf") {
      y = at::erf(in(node, 0));
    } else if (op == "Sqrt") {
      y = at::sqrt(in(node, 0));
    } else if (op == "Mul") {
      y = in(node, 0) * in(node, 1);
    } else if (op == "Add") {
      y = in(node, 0) + in(node, 1);
    } else if (op == "Sub") {
      y = in(node, 0) - in(node, 1);
    } else if (op == "Div") {
      y = in(node, 0) / in(node, 1);
    } else if (op == "MatMul") {
      y = at::matmul(in(node, 0), in(node, 1));
    } else if (op == "Softmax") {
      y = at::softmax(in(node, 0), int_attr(node, "axis", -1));
    } else if (op == "ReduceMean") {
      y = in(node, 0).mean(ints_attr(node, "axes", {}), int_attr(node, "keepdims", 1) != 0);
    } else if (op == "Gather") {
      if (int_attr(node, "axis", 0) != 0) throw std::runtime_error(node.name() + ": Gather on axis != 0 is not covered");
      y = at::embedding(in(node, 0), in(node, 1));  // rows of the table, one per index
    } else if (op == "Cast") {
      if (int_attr(node, "to", 0) != ::onnx::TensorProto_DataType_INT64)
        throw std::runtime_error(node.name() + ": Cast to other than int64 is not covered");
      y = in(node, 0).to(at::kLong);  // truncation toward zero, as ONNX's float -> int cast
    } else if (op == "Expand") {
      y = in(node, 0).expand(ints_of(node, 1));
    } else if (op == "Sum") {
      y = in(node, 0).clone();
      for (int k = 1; k < node.input_size(); ++k) y = y + in(node, k);
    } else if (op == "Concat") {
      std::vector<at::Tensor> parts;
      for (int k = 0; k < node.input_size(); ++k) parts.push_back(in(node, k));
      y = at::cat(parts, int_attr(node, "axis", 0));
    } else if (op == "Slice") {
      const auto starts = ints_of(node, 1), ends = ints_of(node, 2);
      const auto axes = node.input_size() > 3 ? ints_of(node, 3) : std::vector<int64_t>{0};
      if (node.input_size() > 4) throw std::runtime_error(node.name() + ": Slice steps are not covered");
      y = in(node, 0);
      for (std::size_t k = 0; k < starts.size(); ++k) {
        const int64_t size = y.size(axes[k]);
        const int64_t begin = std::min(starts[k], size), end = std::min(ends[k], size);
        y = y.narrow(axes[k], begin, end - begin);
      }
    } else if (op == "Reshape") {
      // 0 copies the input's dimension (allowzero = 0), -1 is inferred.
      auto shape = ints_of(node, 1);
      for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == 0) shape[d] = in(node, 0).size(static_cast<int64_t>(d));
      }
      y = in(node, 0).reshape(shape);
    } else if (op == "Transpose") {
      y = in(node, 0).permute(ints_attr(node, "perm", {}));
    } else if (op == "BatchNormalization") {
      const float eps = float_attr(node, "epsilon", 1e-5f);
      auto per_channel = [&](int k) { return in(node, k).reshape({1, -1, 1, 1}); };
      y = (in(node, 0) - per_channel(3)) / at::sqrt(per_channel(4) + eps) * per_channel(1) + per_channel(2);
    } else {
      throw std::runtime_error(node.name() + ": operator " + op + " is not covered by the reference evaluator");
    }
    values[node.output(0)] = y;
  }
  return values.at(graph.output(0).name());
}

}  // namespace nasctl::test
