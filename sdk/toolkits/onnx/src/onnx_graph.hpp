// Writing ONNX protobuf by hand, kept to what the layer lowering needs:
// nodes with attributes, float and int64 initializers, typed values.
#pragma once

#include <ATen/core/Tensor.h>
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace nasctl::model_export {

class GraphWriter {
 public:
  explicit GraphWriter(::onnx::GraphProto& graph) : graph_(graph) {}

  // Appends a node computing `output` from `inputs`. The node is named after
  // its output (values are unique, so node names are too).
  ::onnx::NodeProto& node(const char* op_type, const std::vector<std::string>& inputs, const std::string& output);

  // A float32 initializer holding `values` (any float tensor; copied as a
  // contiguous CPU tensor). Returns its name.
  std::string tensor(const std::string& name, const at::Tensor& values);
  // A 1-D int64 initializer (Slice bounds, Reshape shapes).
  std::string int64s(const std::string& name, const std::vector<int64_t>& values);
  // A 0-D float32 initializer; one per name, shared by every node that asks
  // for it (Clip's bounds for each ReLU6).
  std::string scalar(const std::string& name, float value);

 private:
  ::onnx::TensorProto& add_initializer(const std::string& name);
  ::onnx::GraphProto& graph_;
  std::set<std::string> initializers_;
};

void set_attribute(::onnx::NodeProto& node, const char* name, int64_t value);
void set_attribute(::onnx::NodeProto& node, const char* name, float value);
void set_attribute(::onnx::NodeProto& node, const char* name, const std::vector<int64_t>& values);

// A float32 tensor value with fixed dimensions (graph input/output).
void set_float_tensor_type(::onnx::ValueInfoProto& value, const std::string& name, const std::vector<int64_t>& dims);

}  // namespace nasctl::model_export
