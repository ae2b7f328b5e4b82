// bert-base: configuration and lowering of DyNAS-T's bert_base_sst2.
#include <string>

#include "encoder_space.hpp"

namespace nasctl::spaces::bert_vit {

std::vector<ConfigKey> BertBase::config_keys() {
  return {
      ConfigKey::integer("sequence_length", 128,
                         "Tokens per input sentence the network is lowered (and measured) at; BERT's learned "
                         "position table has 512 rows, so at most 512")
          .at_least(1),
      ConfigKey::integer("vocabulary", 30522, "Word-piece vocabulary of the token embedding (bert-base-uncased: 30522)")
          .at_least(1),
      ConfigKey::integer("classes", 2, "Outputs of the classifier on the pooled first token (SST-2: 2)").at_least(1),
  };
}

BertBase::BertBase(const PluginContext& context)
    : EncoderSpace({"bert-base", "intermediate_size", {6, 7, 8, 9, 10, 11, 12}}) {
  const PluginConfig& config = context.config;
  sequence_length_ = config.get_int("sequence_length");
  vocabulary_ = config.get_int("vocabulary");
  classes_ = config.get_int("classes");
  if (sequence_length_ < 1 || sequence_length_ > kPositions)
    config.fail("sequence_length", "is " + std::to_string(sequence_length_) +
                                       "; fix: give 1 to 512 tokens (BERT's position table has 512 rows)");
  if (vocabulary_ < 1) config.fail("vocabulary", "is " + std::to_string(vocabulary_) + "; fix: give at least 1");
  if (classes_ < 1) config.fail("classes", "is " + std::to_string(classes_) + "; fix: give at least 1");
}

NetworkSpec BertBase::lower(const Architecture& arch) const {
  check(arch);
  NetworkBuilder b("bert-base", TensorShape{1, sequence_length_, 1});
  b.plain_embedding(vocabulary_, kWidth, 0, sequence_length_);
  b.position_embedding(kPositions, 1);
  b.position_embedding(kTokenTypes, 0);  // token type 0 at every position
  int x = b.layer_norm();
  for (int l = 0; l < depth(arch); ++l) {
    b.add(x, attention(b, x, heads(arch, l)));
    x = b.layer_norm();
    b.add(x, feed_forward(b, x, intermediate(arch, l)));
    x = b.layer_norm();
  }
  b.token_slice(0, 1);
  b.linear(kWidth, true, ActivationKind::Tanh);  // the pooler
  b.linear(classes_, true);
  return std::move(b).finish();
}

}  // namespace nasctl::spaces::bert_vit
