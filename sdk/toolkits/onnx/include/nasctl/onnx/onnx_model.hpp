// NetworkSpec -> ONNX ModelProto, in memory (export_model() writes it).
// Needs ONNX: include it only from code that links the `onnx_proto` target
// (sdk/toolkits/onnx itself, tests that check the model with ONNX's checker).
//
// The graph, at opset onnx_opset() with standard operators only:
// - input "input" [batch, C, H, W] float32; output "output" [batch, C, H, W],
//   or [batch, features] when the last layer is a flattening Linear;
// - layer i writes the value onnx_value_name(spec, i): "l<i>", the last
//   layer "output"; values inside a layer are "l<i>_<step>" (l3_conv);
// - Conv2d: Conv (+ activation); a batch norm is folded into the Conv's
//   weight and bias, as deployment exporters do and as the `measure`
//   plugin's frozen TorchScript does, so no BatchNormalization node remains
//   for it. Depthwise/grouped convolutions use Conv's `group`;
// - Linear: Flatten(axis 1) + Gemm(transB); SqueezeExcite:
//   GlobalAveragePool, Conv, Relu, Conv, HardSigmoid, Mul; GlobalAvgPool,
//   AvgPool2d (count_include_pad 0), MaxPool2d; Add (Sum for 3+ inputs);
//   Concat (axis 1); ChannelSlice: Slice on axis 1; ChannelShuffle:
//   Reshape [N, g, C/g, H, W], Transpose (0 2 1 3 4), Reshape back;
//   stand-alone BatchNorm2d: BatchNormalization (eps 1e-5);
// - activations: Relu, Clip(0, 6) for ReLU6, HardSwish, HardSigmoid with
//   alpha 1/6 and beta 1/2 (PyTorch's definition, not ONNX's default 0.2),
//   Sigmoid, Tanh, GELU as x * (1 + Erf(x / sqrt 2)) / 2;
// - sequence layers (token-major values [batch, T, F], as in LibTorch; the
//   output too when the last layer is one): Embedding: Slice of the float
//   ids, Cast to int64, Gather (+ Mul by sqrt F, Add of the sinusoidal
//   table); Attention: Reshape/Transpose into heads, MatMul, Add of the
//   causal mask, Softmax, MatMul, Transpose/Reshape back; LayerNorm: its
//   formula (ReduceMean, Sub, Mul, ReduceMean, Add, Sqrt, Div, Mul, Add);
//   per-position Linear: MatMul + Add; ClassToken: Expand + Concat;
//   PositionEmbedding: Add of the rows used; TokenSlice: Slice on axis 1;
//   TokenConcat: Concat on axis 1; ToSequence: Identity after the layout
//   change Reshape + Transpose (Transpose + Reshape the other way).
// Initializers carry EagerNetwork(spec, seed)'s (or the given network's)
// tensors under its names:
// l<i>_weight and l<i>_bias (BN folded in where the layer has one),
// l<i>_bn_{weight,bias,mean,var} (stand-alone batch norm), l<i>_se_{w1,b1,w2,b2}.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>

#include "nasctl/onnx/model_file.hpp"

namespace nasctl::model_export {

// The ONNX IR version written: 7, the one that came with opset 14 (ONNX
// 1.9); newer runtimes read older IR versions, not the reverse.
constexpr int64_t kOnnxIrVersion = 7;

// The value layer `layer` of `spec` writes (see above).
std::string onnx_value_name(const NetworkSpec& spec, int layer);

// Builds EagerNetwork(spec, options.seed) (or takes options.network) and
// writes it as an ONNX model with batch options.batch; options.metadata
// become metadata_props, next to nasctl's own ("nasctl.network",
// "nasctl.seed" or "nasctl.weights", "nasctl.batch_norm").
// Throws nasctl::Error for an inconsistent spec (check_network).
::onnx::ModelProto to_onnx_model(const NetworkSpec& spec, const ExportOptions& options);

}  // namespace nasctl::model_export
