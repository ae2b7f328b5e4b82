#!/usr/bin/env bash
# The CUDA test cases of the sequence spaces (transformer-lt, bert-base,
# vit-base) in a CUDA build with tests; their summary to $OUT/cuda_tests.txt.
# Shared by scripts/gpu/sequence_spaces.sh and scripts/gpu/open_items.sh.
#   bash scripts/gpu/sequence_cuda_tests.sh BUILD_DIR
set -uo pipefail
OUT=${OUT:-/tmp/out}
build=${1:?CUDA build folder with test_transformer_lt and test_bert_vit}
(cd "$build/tests" && for t in test_transformer_lt test_bert_vit; do
  ./$t -tc="*CUDA*" -s 2>&1 | grep -E "TEST CASE|MESSAGE|ERROR|FAILED|CHECK|test cases|assertions"
done) | tee "$OUT/cuda_tests.txt"
