#include "onnx_graph.hpp"

#include <ATen/ATen.h>

#include <stdexcept>

namespace nasctl::model_export {

// ONNX stores raw tensor data little-endian; nasctl's targets (x86-64,
// AArch64) are little-endian, so the bytes are copied as they are in memory.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "raw_data below assumes a little-endian host");

::onnx::NodeProto& GraphWriter::node(const char* op_type, const std::vector<std::string>& inputs,
                                     const std::string& output) {
  ::onnx::NodeProto& n = *graph_.add_node();
  n.set_op_type(op_type);
  n.set_name(output);
  for (const std::string& in : inputs) n.add_input(in);
  n.add_output(output);
  return n;
}

::onnx::TensorProto& GraphWriter::add_initializer(const std::string& name) {
  // A clash would make the model silently read the wrong tensor: a bug here.
  if (!initializers_.insert(name).second) throw std::logic_error("ONNX export: initializer '" + name + "' written twice");
  ::onnx::TensorProto& t = *graph_.add_initializer();
  t.set_name(name);
  return t;
}

std::string GraphWriter::tensor(const std::string& name, const at::Tensor& values) {
  const at::Tensor data = values.to(at::kCPU, at::kFloat).contiguous();
  ::onnx::TensorProto& t = add_initializer(name);
  t.set_data_type(::onnx::TensorProto_DataType_FLOAT);
  for (int64_t d : data.sizes()) t.add_dims(d);
  t.set_raw_data(data.data_ptr<float>(), static_cast<std::size_t>(data.numel()) * sizeof(float));
  return name;
}

std::string GraphWriter::int64s(const std::string& name, const std::vector<int64_t>& values) {
  ::onnx::TensorProto& t = add_initializer(name);
  t.set_data_type(::onnx::TensorProto_DataType_INT64);
  t.add_dims(static_cast<int64_t>(values.size()));
  for (int64_t v : values) t.add_int64_data(v);
  return name;
}

std::string GraphWriter::scalar(const std::string& name, float value) {
  if (initializers_.count(name)) return name;
  ::onnx::TensorProto& t = add_initializer(name);
  t.set_data_type(::onnx::TensorProto_DataType_FLOAT);
  t.add_float_data(value);
  return name;
}

void set_attribute(::onnx::NodeProto& node, const char* name, int64_t value) {
  ::onnx::AttributeProto& a = *node.add_attribute();
  a.set_name(name);
  a.set_type(::onnx::AttributeProto_AttributeType_INT);
  a.set_i(value);
}

void set_attribute(::onnx::NodeProto& node, const char* name, float value) {
  ::onnx::AttributeProto& a = *node.add_attribute();
  a.set_name(name);
  a.set_type(::onnx::AttributeProto_AttributeType_FLOAT);
  a.set_f(value);
}

void set_attribute(::onnx::NodeProto& node, const char* name, const std::vector<int64_t>& values) {
  ::onnx::AttributeProto& a = *node.add_attribute();
  a.set_name(name);
  a.set_type(::onnx::AttributeProto_AttributeType_INTS);
  for (int64_t v : values) a.add_ints(v);
}

void set_float_tensor_type(::onnx::ValueInfoProto& value, const std::string& name, const std::vector<int64_t>& dims) {
  value.set_name(name);
  ::onnx::TypeProto_Tensor& t = *value.mutable_type()->mutable_tensor_type();
  t.set_elem_type(::onnx::TensorProto_DataType_FLOAT);
  for (int64_t d : dims) t.mutable_shape()->add_dim()->set_dim_value(d);
}

}  // namespace nasctl::model_export
