// A reference evaluator for the ONNX graphs nasctl writes: each node computed
// with ATen from the formulas of the ONNX operator documentation (opset 14),
// not from nasctl's LibTorch lowering, so that running the graph and running
// EagerNetwork agree only if the export means what the eager module computes.
// Covers exactly the operators sdk/toolkits/onnx emits; anything else fails the test.
#pragma once

#include <ATen/ATen.h>
#include <onnx/onnx_pb.h>

namespace nasctl::test {

// The graph's single output for `input` (bound to the graph's first input).
at::Tensor run_onnx_graph(const ::onnx::GraphProto& graph, const at::Tensor& input);

// An initializer as a tensor (FLOAT or INT64, raw_data or typed fields).
at::Tensor tensor_of(const ::onnx::TensorProto& proto);

}  // namespace nasctl::test
