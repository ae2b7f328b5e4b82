// TorchScript generation from a NetworkSpec, and freezing for deployment.
#include "nasctl/torch/script_network.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"

namespace nasctl::libtorch {

namespace {

// Python-syntax float literal (TorchScript needs the dot or exponent).
std::string literal(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  std::string s = os.str();
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string pair(int64_t v) { return "[" + std::to_string(v) + ", " + std::to_string(v) + "]"; }

std::string activation(const std::string& v, ActivationKind act) {
  switch (act) {
    case ActivationKind::None: return v;
    case ActivationKind::ReLU: return "torch.relu(" + v + ")";
    case ActivationKind::ReLU6: return "torch.hardtanh(" + v + ", 0.0, 6.0)";
    case ActivationKind::HardSwish: return "torch.hardswish(" + v + ")";
    case ActivationKind::HardSigmoid: return "torch.hardsigmoid(" + v + ")";
    case ActivationKind::Sigmoid: return "torch.sigmoid(" + v + ")";
    case ActivationKind::GELU: return "torch.gelu(" + v + ")";
    case ActivationKind::Tanh: return "torch.tanh(" + v + ")";
  }
  return v;
}

// Emits the statements of one layer; its result is t<index>.
class LayerWriter {
 public:
  LayerWriter(std::ostringstream& os, const NetworkSpec& spec, const std::vector<bool>& tokens, int index)
      : os_(os), spec_(spec), tokens_(tokens), index_(index), l_(spec.layers[index]),
        out_("t" + std::to_string(index)), self_("self.l" + std::to_string(index) + "_") {}

  void write() {
    switch (l_.op) {
      case OpKind::Conv2d:
        assign(conv(in(0), self_ + "weight", l_.bias ? self_ + "bias" : "None", l_.stride, l_.padding, l_.groups));
        if (l_.batch_norm) assign(batch_norm(out_));
        if (l_.activation != ActivationKind::None) assign(activation(out_, l_.activation));
        return;
      case OpKind::Linear:
        if (tokens_[index_]) {
          assign(activation("torch.linear(" + in(0) + ", " + self_ + "weight, " + (l_.bias ? self_ + "bias" : "None") + ")",
                            l_.activation));
          return;
        }
        assign(activation("torch.linear(torch.flatten(" + in(0) + ", 1), " + self_ + "weight, " +
                              (l_.bias ? self_ + "bias" : "None") + ")",
                          l_.activation));
        return;
      case OpKind::SqueezeExcite: {
        const std::string s = "s" + out_.substr(1);
        line(s, "torch.adaptive_avg_pool2d(" + in(0) + ", [1, 1])");
        line(s, "torch.relu(" + conv(s, self_ + "se_w1", self_ + "se_b1", 1, 0, 1) + ")");
        line(s, "torch.hardsigmoid(" + conv(s, self_ + "se_w2", self_ + "se_b2", 1, 0, 1) + ")");
        assign(in(0) + " * " + s);
        return;
      }
      case OpKind::GlobalAvgPool:
        assign("torch.adaptive_avg_pool2d(" + in(0) + ", [1, 1])");
        return;
      case OpKind::AvgPool2d:
        assign("torch.avg_pool2d(" + in(0) + ", " + pair(l_.kernel) + ", " + pair(l_.stride) + ", " +
               pair(l_.padding) + ", " + (l_.ceil_mode ? "True" : "False") + ", False)");
        return;
      case OpKind::MaxPool2d:
        assign("torch.max_pool2d(" + in(0) + ", " + pair(l_.kernel) + ", " + pair(l_.stride) + ", " +
               pair(l_.padding) + ", [1, 1], " + (l_.ceil_mode ? "True" : "False") + ")");
        return;
      case OpKind::Add: {
        std::string sum = in(0);
        for (std::size_t k = 1; k < l_.inputs.size(); ++k) sum += " + " + in(k);
        assign(sum);
        return;
      }
      case OpKind::Concat: {
        std::string parts;
        for (std::size_t k = 0; k < l_.inputs.size(); ++k) parts += (k ? ", " : "") + in(k);
        assign("torch.cat([" + parts + "], 1)");
        return;
      }
      case OpKind::ChannelSlice:
        assign("torch.narrow(" + in(0) + ", 1, " + std::to_string(l_.hidden) + ", " +
               std::to_string(l_.out.channels) + ")");
        return;
      case OpKind::ChannelShuffle: {
        const int64_t c = l_.in.channels, g = l_.groups;
        const std::string hw = std::to_string(l_.in.height) + ", " + std::to_string(l_.in.width);
        assign("torch.reshape(torch.transpose(torch.reshape(" + in(0) + ", [-1, " + std::to_string(g) + ", " +
               std::to_string(c / g) + ", " + hw + "]), 1, 2), [-1, " + std::to_string(c) + ", " + hw + "])");
        return;
      }
      case OpKind::BatchNorm2d:
        assign(batch_norm(in(0)));
        return;
      case OpKind::Activation:
        assign(activation(in(0), l_.activation));
        return;
      case OpKind::Embedding: {
        const std::string ids = "torch.reshape(torch.narrow(" + in(0) + ", 2, " + std::to_string(l_.padding) + ", " +
                                std::to_string(l_.out.height) + "), [-1, " + std::to_string(l_.out.height) + "]).long()";
        if (l_.kernel == 0) {
          assign("torch.embedding(" + self_ + "weight, " + ids + ")");
          return;
        }
        assign("torch.embedding(" + self_ + "weight, " + ids + ") * " +
               literal(std::sqrt(static_cast<double>(l_.out.channels))) + " + " + self_ + "positions");
        return;
      }
      case OpKind::ToSequence:
        assign(in(0));  // in() made the [batch, H*W, C] layout
        return;
      case OpKind::ClassToken: {
        const std::string f = std::to_string(l_.out.channels);
        assign("torch.cat([torch.reshape(" + self_ + "weight, [1, 1, " + f + "]).expand([" + in(0) + ".size(0), 1, " + f +
               "]), " + in(0) + "], 1)");
        return;
      }
      case OpKind::PositionEmbedding:
        if (l_.stride == 0) {
          assign(in(0) + " + torch.narrow(" + self_ + "weight, 0, 0, 1)");
          return;
        }
        assign(in(0) + " + " + self_ + "weight[0:" + std::to_string((l_.in.height - 1) * l_.stride + 1) + ":" +
               std::to_string(l_.stride) + "]");
        return;
      case OpKind::TokenSlice:
        assign("torch.narrow(" + in(0) + ", 1, " + std::to_string(l_.hidden) + ", " + std::to_string(l_.out.height) + ")");
        return;
      case OpKind::LayerNorm:
        assign("torch.layer_norm(" + in(0) + ", [" + std::to_string(l_.in.channels) + "], " + self_ + "weight, " +
               self_ + "bias, " + literal(EagerNetwork::kLayerNormEps) + ")");
        return;
      case OpKind::Attention: {
        const int64_t heads = l_.groups, d = l_.in.channels / heads;
        auto split = [&](const std::string& x, int64_t tokens) {
          return "torch.transpose(torch.reshape(" + x + ", [-1, " + std::to_string(tokens) + ", " +
                 std::to_string(heads) + ", " + std::to_string(d) + "]), 1, 2)";
        };
        const std::string s = "s" + out_.substr(1);
        line(s, "torch.matmul(" + split(in(0) + " * " + literal(1.0 / std::sqrt(static_cast<double>(d))), l_.out.height) +
                    ", torch.transpose(" + split(in(1), l_.hidden) + ", 2, 3))");
        if (l_.causal) line(s, s + " + " + self_ + "mask");
        assign("torch.reshape(torch.transpose(torch.matmul(torch.softmax(" + s + ", -1), " + split(in(2), l_.hidden) +
               "), 1, 2), [-1, " + std::to_string(l_.out.height) + ", " + std::to_string(l_.in.channels) + "])");
        return;
      }
      case OpKind::TokenConcat: {
        std::string parts;
        for (std::size_t k = 0; k < l_.inputs.size(); ++k) parts += (k ? ", " : "") + in(k);
        assign("torch.cat([" + parts + "], 1)");
        return;
      }
    }
    throw Error("TorchScript generation: op kind " + std::to_string(static_cast<int>(l_.op)) +
                " has no lowering; fix: update nasctl_torch");
  }

 private:
  // The k-th input, converted to this layer's layout (see eager_network.hpp).
  std::string in(std::size_t k) const {
    const int src = l_.inputs[k];
    const bool want = tokens_[index_] && l_.op != OpKind::Embedding;
    const bool have = src != kNetworkInput && tokens_[src];
    const std::string v = src == kNetworkInput ? "x" : "t" + std::to_string(src);
    if (want == have) return v;
    if (want) return "torch.transpose(torch.flatten(" + v + ", 2), 1, 2)";
    const TensorShape& s = spec_.layers[src].out;
    return "torch.reshape(torch.transpose(" + v + ", 1, 2), [-1, " + std::to_string(s.channels) + ", " +
           std::to_string(s.height) + ", " + std::to_string(s.width) + "])";
  }
  static std::string conv(const std::string& x, const std::string& w, const std::string& b, int64_t stride,
                          int64_t padding, int64_t groups) {
    return "torch.conv2d(" + x + ", " + w + ", " + b + ", " + pair(stride) + ", " + pair(padding) +
           ", [1, 1], " + std::to_string(groups) + ")";
  }
  std::string batch_norm(const std::string& x) const {
    return "torch.batch_norm(" + x + ", " + self_ + "bn_weight, " + self_ + "bn_bias, " + self_ + "bn_mean, " +
           self_ + "bn_var, False, 0.1, " + literal(EagerNetwork::kBatchNormEps) + ", True)";
  }
  void line(const std::string& target, const std::string& expr) { os_ << "    " << target << " = " << expr << "\n"; }
  void assign(const std::string& expr) { line(out_, expr); }

  std::ostringstream& os_;
  const NetworkSpec& spec_;
  const std::vector<bool>& tokens_;
  const int index_;
  const Layer& l_;
  const std::string out_;
  const std::string self_;
};

}  // namespace

std::string script_source(const NetworkSpec& spec) {
  check_network(spec);
  std::ostringstream os;
  os << "def forward(self, x: Tensor) -> Tensor:\n";
  const std::vector<bool> tokens = token_major_layers(spec);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) LayerWriter(os, spec, tokens, static_cast<int>(i)).write();
  os << "    return t" << spec.layers.size() - 1 << "\n";
  return os.str();
}

torch::jit::Module to_script(const EagerNetwork& network) {
  torch::jit::Module module(c10::QualifiedName("__torch__.nasctl.Network"));
  // freeze() refuses a module in training mode and reads this attribute.
  module.register_attribute("training", c10::BoolType::get(), false);
  for (const auto& p : network.named_parameters(/*recurse=*/false)) module.register_parameter(p.key(), p.value(), false);
  for (const auto& b : network.named_buffers(/*recurse=*/false)) module.register_buffer(b.key(), b.value());
  module.define(script_source(network.spec()));
  module.eval();
  return module;
}

torch::jit::Module optimize_for_deployment(const torch::jit::Module& scripted) {
  torch::jit::Module frozen = torch::jit::freeze(scripted);
  return torch::jit::optimize_for_inference(frozen);
}

}  // namespace nasctl::libtorch
