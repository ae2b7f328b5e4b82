#!/usr/bin/env bash
# Sample-efficiency benchmark: hypervolume against the number of real
# evaluations for random, nsga2, evolution, linas and bayesian, over several
# seeds, plus a long NSGA-II run as the approximate true front.
#   problem a (issue 5): OFA MobileNetV3 w1.0 (top-1 predicted from every
#     ImageNet row of data/ofa_mbv3_w10_imagenet vs MACs);
#   problem b (issue 12): the Fashion-MNIST super-network
#     examples/fashion-supernet/gpu/checkpoint.pt (OFA MobileNetV3 shape,
#     width 0.35, small stem), top-1 measured through it (batch norms
#     re-calibrated, validation split) vs MACs and vs latency on the 2-core
#     development VM (lut table bench/sample_efficiency/lut-fashion-w035.csv).
# docs/results.md has the figures.
#
# Usage: bench/sample_efficiency/run.sh [--seeds N] [--jobs J] [--build DIR]
#                                       [--out DIR] [--plot FILE.svg|FILE.png]
#        bench/sample_efficiency/run.sh --problem b [...]   (run_b.sh --help)
#   --seeds  seeds per strategy (default 20; seeds 1..N)
#   --jobs   searches run side by side (default: nproc); every search uses
#            one thread, so figures do not depend on it
#   --build  nasctl build folder (default: <repo>/build); the needed targets
#            are built first
#   --out    output folder (default: <repo>/runs/sample-efficiency); its
#            runs/, logs/ and hv/ subfolders are replaced
#   --plot   also copy the plot there (e.g. docs/img/sample-efficiency.svg)
#
# Outputs in --out: hv/summary.csv (mean, std, min, max, median per strategy
# and checkpoint), hv/curves.csv (the same at every evaluation count),
# hv/reach.csv (evaluations each strategy needs to reach NSGA-II's and
# random's mean hypervolume at 500), hv/fronts.csv, hv/table.md,
# sample-efficiency.svg and .png, machine.txt, runs/<strategy>/seed-<n>/.
set -euo pipefail

# Problem b has its own driver (other configs, costs and phases).
if [ "${1:-}" = "--problem" ]; then
  case "${2:-}" in
    a) shift 2 ;;
    b) shift 2; exec "$(dirname "${BASH_SOURCE[0]}")/run_b.sh" "$@" ;;
    *) echo "run.sh: --problem '${2:-}' is not a or b; fix: --problem a (OFA ImageNet predictor) or b (Fashion-MNIST super-network)" >&2; exit 2 ;;
  esac
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seeds=20
jobs="$(nproc)"
build="$repo/build"
out="$repo/runs/sample-efficiency"
plot_copy=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --plot) plot_copy="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'; fix: see --help" >&2; exit 2 ;;
  esac
done
case "$seeds" in ''|*[!0-9]*|0) echo "run.sh: --seeds '$seeds' is not a positive integer; fix: e.g. --seeds 10" >&2; exit 2 ;; esac
case "$jobs" in ''|*[!0-9]*|0) echo "run.sh: --jobs '$jobs' is not a positive integer; fix: e.g. --jobs 2" >&2; exit 2 ;; esac

strategies=(random nsga2 evolution linas bayesian)
# Seconds one run of each took on the 2-core development VM (one thread,
# idle): the up-front estimate. The script re-estimates after seed 1.
declare -A typical_seconds=([random]=1 [nsga2]=1 [evolution]=1 [linas]=5 [bayesian]=5 [true-front]=6)

# --- tools -----------------------------------------------------------------
if ! command -v gnuplot >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing gnuplot-nox (Debian) for the plot..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gnuplot-nox >/dev/null
  else
    echo "run.sh: gnuplot not found; fix: sudo apt-get install gnuplot-nox" >&2
    exit 1
  fi
fi
echo "building nasctl, the plugins used and sample_efficiency_hv in $build..."
mkdir -p "$out"
if ! cmake --build "$build" -j"$jobs" --target nasctl nasctl_space_ofa_mobilenetv3 nasctl_hardware_analytic \
    nasctl_accuracy_predictor nasctl_search_random nasctl_search_nsga2 nasctl_search_evolution \
    nasctl_search_linas nasctl_search_bayesian sample_efficiency_hv >"$out/build.log" 2>&1; then
  tail -20 "$out/build.log" >&2
  echo "run.sh: build failed (log: $out/build.log); fix: configure $build with cmake -G Ninja, with Google Benchmark installed (bench/ is built only then)" >&2
  exit 1
fi
nasctl="$build/bin/nasctl"
hv_tool="$build/bench/sample_efficiency_hv"

# --- configs -----------------------------------------------------------------
rm -rf "$out/runs" "$out/logs" "$out/hv"
mkdir -p "$out/configs" "$out/runs" "$out/logs" "$out/hv"
for s in "${strategies[@]}" true-front; do
  { sed "s#@DATA@#$repo/data/ofa_mbv3_w10_imagenet#g" "$here/configs/problem.toml.in"; echo; cat "$here/configs/$s.toml"; } \
    >"$out/configs/$s.toml"
  "$nasctl" validate -c "$out/configs/$s.toml" >/dev/null
done

# One search, one thread for everything (LibTorch/OpenMP included), so the
# results are the same whatever --jobs and the machine's load are.
run_one() {  # strategy seed
  local dir="$out/runs/$1/seed-$2"
  mkdir -p "$(dirname "$dir")"
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    "$nasctl" search -c "$out/configs/$1.toml" --set "seed=$2" -o "$dir" >"$out/logs/$1-seed-$2.log" 2>&1 || {
      echo "run.sh: $1 seed $2 failed; see $out/logs/$1-seed-$2.log" >&2
      return 1
    }
}

estimate=0
for s in "${strategies[@]}"; do estimate=$((estimate + seeds * typical_seconds[$s])); done
estimate=$(((estimate + ${typical_seconds[true-front]}) / jobs))
echo "$((seeds * ${#strategies[@]})) searches (${strategies[*]} x $seeds seeds) + 1 true-front run on $jobs parallel jobs"
echo "estimate: ~${estimate} s on an idle 2-core VM (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"

start=$(date +%s)
# --- seed 1, one at a time: calibrates the estimate -------------------------
calibrated=0
for s in "${strategies[@]}"; do
  t0=$(date +%s%N)
  run_one "$s" 1
  t=$((($(date +%s%N) - t0) / 1000000))
  printf '  seed 1 %-10s %6d ms\n' "$s" "$t"
  calibrated=$((calibrated + t))
done
echo "re-estimate for the rest: ~$(((calibrated * (seeds - 1) / 1000 + ${typical_seconds[true-front]}) / jobs)) s"

# --- the rest, $jobs at a time ----------------------------------------------
tasks=("true-front 0")
for ((seed = 2; seed <= seeds; seed++)); do
  for s in "${strategies[@]}"; do tasks+=("$s $seed"); done
done
failed=0
running=0
for task in "${tasks[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  # shellcheck disable=SC2086
  run_one $task &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
[ "$failed" = 0 ] || { echo "run.sh: some searches failed (above)" >&2; exit 1; }
search_seconds=$(($(date +%s) - start))

# --- hypervolume ---------------------------------------------------------------
run_args=()
for s in "${strategies[@]}"; do
  for ((seed = 1; seed <= seeds; seed++)); do run_args+=("$s=$out/runs/$s/seed-$seed/evaluations.csv"); done
done
"$hv_tool" --objective accuracy.top1_pred:max --objective cost.macs:min:1e-6 --reference 70,700 \
  --checkpoints 25,50,100,125,150,250,500 --reach nsga2@500 --reach random@500 --reach random@100 \
  --front "nsga2 100k evaluations (population 100)=$out/runs/true-front/seed-0/evaluations.csv" \
  --out "$out/hv" "${run_args[@]}"

# --- plot ------------------------------------------------------------------------
for s in "${strategies[@]}"; do
  awk -F, -v s="$s" 'NR == 1 || $1 == s' "$out/hv/curves.csv" >"$out/hv/curve-$s.csv"
done
true_hv=$(awk -F, 'NR == 2 { print $NF }' "$out/hv/fronts.csv")
for ext in svg png; do
  gnuplot -e "dir='$out/hv'; strategies='${strategies[*]}'; true_hv=$true_hv; out='$out/sample-efficiency.$ext'" "$here/plot.gp"
done
if [ -n "$plot_copy" ]; then
  mkdir -p "$(dirname "$plot_copy")"
  cp "$out/sample-efficiency.${plot_copy##*.}" "$plot_copy"
fi

total_seconds=$(($(date +%s) - start))
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "seeds: $seeds, jobs: $jobs"
  echo "searches: ${search_seconds} s, total: ${total_seconds} s"
} | tee "$out/machine.txt"
echo "results: $out/hv/summary.csv, $out/hv/reach.csv, $out/sample-efficiency.svg"
