#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in a
# build folder of their own and runs each for a bounded time, starting from
# the committed corpus. Prints each target's executions and whether it found
# anything; exits 1 when one did (the input is kept under
# <build>/fuzz/findings/<target>/; turn it into tests/fuzz/regressions/<target>/
# once fixed), 2 on bad usage.
#
#   scripts/fuzz.sh                      # every target, 60 s each
#   scripts/fuzz.sh -t 3600 config lut   # long runs of two targets
#   scripts/fuzz.sh -m                   # and merge what each run found into tests/fuzz/corpus
set -euo pipefail

seconds=60
build=build-fuzz
jobs=1
merge=0
usage() { echo "fuzz.sh: error: $1; fix: scripts/fuzz.sh [-t SECONDS] [-b BUILD_DIR] [-j JOBS] [-m] [TARGET...]" >&2; exit 2; }
while getopts "t:b:j:m" opt; do
  case "$opt" in
    t) [[ "$OPTARG" =~ ^[0-9]+$ ]] || usage "-t '$OPTARG' is not a number of seconds"; seconds=$OPTARG ;;
    b) build=$OPTARG ;;
    j) [[ "$OPTARG" =~ ^[0-9]+$ ]] || usage "-j '$OPTARG' is not a number"; jobs=$OPTARG ;;
    m) merge=1 ;;
    *) usage "unknown option" ;;
  esac
done
shift $((OPTIND - 1))

root=$(cd "$(dirname "$0")/.." && pwd)
all=(config ofa_arch hurricane_arch hurricane_operators csv lut roofline_profile predictor_model journal)
targets=("${@:-${all[@]}}")
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || usage "unknown target '$t' (targets: ${all[*]})"
done
command -v clang++ > /dev/null || usage "clang++ not found; fix: scripts/install-deps.sh (Debian: apt-get install clang libclang-rt-dev)"

cd "$root"
# As scripts/build.sh: ccache (when present) reuses objects across clones in
# different folders, so CI's fresh clone rebuilds only what changed.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DNASCTL_FUZZ=ON -DNASCTL_BUILD_BENCH=OFF > "$build/configure.log" 2>&1 ||
  { tail -20 "$build/configure.log"; exit 1; }
cmake --build "$build" -j "$jobs" --target $(printf 'fuzz_%s ' "${targets[@]}")

found=0
printf '%-18s %12s %10s  %s\n' target executions seconds finding
for t in "${targets[@]}"; do
  work="$build/fuzz/corpus/$t"        # what this machine's runs added
  findings="$build/fuzz/findings/$t"
  mkdir -p "$work" "$findings"
  log="$build/fuzz/$t.log"
  status=0
  "$build/fuzz/fuzz-${t//_/-}" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/" \
    -timeout=10 -rss_limit_mb=4096 "$work" "tests/fuzz/corpus/$t" > "$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  time=$(sed -n 's/^stat::peak_rss_mb.*//p; s/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  if [[ $status -ne 0 ]]; then
    found=1
    printf '%-18s %12s %10s  %s\n' "$t" "${runs:-?}" "${time:-?}" "FOUND: $(ls -t "$findings" | head -1) (see $log)"
  else
    printf '%-18s %12s %10s  %s\n' "$t" "${runs:-?}" "${time:-$seconds}" none
  fi
  if [[ $merge -eq 1 && $status -eq 0 ]]; then
    "$build/fuzz/fuzz-${t//_/-}" -merge=1 "tests/fuzz/corpus/$t" "$work" > "$build/fuzz/$t.merge.log" 2>&1
  fi
done
exit $found
