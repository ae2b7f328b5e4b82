#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every CTest
# test (doctest suites, CLI tests, the SDK install test); then the numeric
# suites once more on other BLAS and ATen kernels than this machine picks by
# itself, so that a developer's machine sees what CI's next machine will.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The report's browser test needs Debian's Chromium; installed here, before
# the tests run, rather than by the test itself under CTest's parallel run.
bash scripts/install-chromium.sh || echo "test.sh: Chromium could not be installed: the browser test will report SKIPPED" >&2
bash scripts/build.sh
jobs=${NASCTL_JOBS:-$(nproc)}
ctest --test-dir build --output-on-failure -j "$jobs" "$@"

# Any extra arguments select tests: then the caller wants just those.
[ $# -eq 0 ] || exit 0

# OpenBLAS kernels other than the ones in use (OPENBLAS_CORETYPE, or what
# OpenBLAS picks for this CPU), among those this CPU can run; and ATen's
# portable kernels instead of its AVX2/AVX-512 ones. Results computed
# through them round differently: no test may depend on that.
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
candidates=(Nehalem)
[[ $flags == *" avx "* ]] && candidates=(Sandybridge "${candidates[@]}")
[[ $flags == *" avx2 "* ]] && candidates=(Haswell "${candidates[@]}")
[[ $flags == *" avx512f "* && $flags == *" avx512vl "* ]] && candidates=(SkylakeX "${candidates[@]}")
current=${OPENBLAS_CORETYPE:-}
other=""
for c in "${candidates[@]}"; do
  if [ "${c,,}" != "${current,,}" ]; then other=$c; break; fi
done
if [ -z "$current" ] && [ "$other" = "${candidates[0]}" ] && [ ${#candidates[@]} -gt 1 ]; then
  other=${candidates[1]}  # unset: OpenBLAS picks the best this CPU runs, so take the next
fi
echo "test.sh: numeric suites again with OPENBLAS_CORETYPE=$other ATEN_CPU_CAPABILITY=default"
OPENBLAS_CORETYPE=$other ATEN_CPU_CAPABILITY=default \
  ctest --test-dir build --output-on-failure -j "$jobs" \
  -R "^test_predict:|^test_onnx:|^test_hardware:.*(calibrat|per-layer|terms)"

# A bounded fuzz run (issue 13): every libFuzzer target of tests/fuzz, built
# with clang in build-fuzz, for NASCTL_FUZZ_SECONDS each (default 10, 0 skips)
# from the committed corpus; a finding fails the suite and is kept under
# build-fuzz/fuzz/findings/. 10 s rather than the issue's 30-60 s: CI's
# 2 cores and its time limit (docs/results.md, "Fuzzing in CI"); long runs
# are scripts/fuzz.sh -t 3600.
fuzz_seconds=${NASCTL_FUZZ_SECONDS:-10}
if [ "$fuzz_seconds" -gt 0 ]; then
  echo "test.sh: fuzzing every reader for $fuzz_seconds s (scripts/fuzz.sh)"
  bash scripts/fuzz.sh -j "$jobs" -t "$fuzz_seconds"
fi
