#!/usr/bin/env bash
# Sample-efficiency benchmark, problem (b) (issue 12): hypervolume against the
# number of real evaluations for random, nsga2, evolution, linas and bayesian
# on the Fashion-MNIST super-network examples/fashion-supernet/gpu/checkpoint.pt
# (OFA MobileNetV3 shape, width 0.35, small stem, 1 channel, 28x28, 10
# classes). The expensive metric is accuracy.top1 measured through the
# inherited weights (batch norms re-calibrated on a fixed training subset,
# top-1 on a fixed subset of the validation split); the cost is cost.macs
# (analytic) and/or cpu.latency_ms (lut plugin on lut-fashion-w035.csv,
# measured once on the 2-core development VM, so latency is deterministic).
# Configs: configs/problem-b.toml.in + configs/<strategy>.toml (their budgets,
# capped by --evaluations). run.sh --problem b calls this script.
#
# Usage: bench/sample_efficiency/run_b.sh [--seeds N] [--jobs J] [--build DIR]
#          [--out DIR] [--evaluations N] [--phase all|search|report]
#          [--device cpu|cuda] [--cost macs|latency|both] [--calibration N]
#          [--validation N] [--front-evaluations N] [--plot FILE.svg|FILE.png]
#          [--deadline S] [--no-build]
#   --seeds        seeds per strategy (default 10; seeds 1..N)
#   --jobs         searches run side by side (default: nproc); each search
#                  runs one evaluation at a time with one CPU thread
#   --build        nasctl build folder (default: <repo>/build)
#   --out          output folder (default: <repo>/runs/sample-efficiency-b);
#                  its runs/, logs/ and hv-*/ subfolders are replaced
#   --evaluations  cap every strategy's budget at N (a small-scale check);
#                  the checkpoints and reach targets are capped with it
#   --phase        all (default); search: build nasctl and run the searches
#                  only (needs neither sample_efficiency_hv nor gnuplot: a
#                  GPU machine built without bench/); report: hypervolume,
#                  tables and plot from an --out folder that a search phase
#                  filled (its settings.sh gives seeds, budgets and costs)
#   --device       where sub-networks are measured: cpu (default) or cuda
#                  (all searches' evaluations share the one GPU)
#   --cost         the cost(s) accuracy is searched against (default both)
#   --calibration, --validation
#                  images per evaluation for batch-norm re-calibration and
#                  top-1 (defaults 500 and 2000; the same fixed subsets for
#                  every network, strategy and seed)
#   --front-evaluations
#                  budget of each cost's true-front NSGA-II run (population
#                  100; default 2000, or 4 x --evaluations when that is given)
#   --plot         also copy the plot there
#   --deadline     end the search phase S seconds after this script started
#                  (its build step included): no search starts later and
#                  the ones still running are killed then; the
#                  searches go seed by seed (the true fronts first), and the
#                  report covers seeds 1..k, every run of which finished
#   --no-build     use the binaries already in --build (a shared build
#                  folder that others build in)
#
# Outputs in --out: hv-<cost>/{summary,curves,runs,reach,fronts}.csv and
# table.md, sample-efficiency-b.svg/.png (one panel per cost), machine.txt,
# settings.sh, timing.csv (wall seconds and evaluations per search),
# runs/<cost>-<strategy>/seed-<n>/ and runs/random/seed-<n>/ (random does not
# depend on the objectives, so one run per seed serves both costs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seeds=10
jobs="$(nproc)"
build="$repo/build"
out="$repo/runs/sample-efficiency-b"
evaluations=0
phase=all
device=cpu
cost=both
calibration=500
validation=2000
front_evaluations=""
plot_copy=""
no_build=0
deadline=0
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || case "$1" in -h|--help|--no-build) true ;; *) false ;; esac || { echo "run_b.sh: '$1' needs a value; fix: see --help" >&2; exit 2; }
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --evaluations) evaluations="$2"; shift 2 ;;
    --phase) phase="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --cost) cost="$2"; shift 2 ;;
    --calibration) calibration="$2"; shift 2 ;;
    --validation) validation="$2"; shift 2 ;;
    --front-evaluations) front_evaluations="$2"; shift 2 ;;
    --plot) plot_copy="$2"; shift 2 ;;
    --no-build) no_build=1; shift ;;
    --deadline) deadline="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "run_b.sh: unknown argument '$1'; fix: see --help" >&2; exit 2 ;;
  esac
done
positive() {  # option value
  case "$2" in ''|*[!0-9]*|0) echo "run_b.sh: $1 '$2' is not a positive integer; fix: e.g. $1 10" >&2; exit 2 ;; esac
}
positive --seeds "$seeds"
positive --jobs "$jobs"
positive --calibration "$calibration"
positive --validation "$validation"
[ "$evaluations" = 0 ] || positive --evaluations "$evaluations"
if [ "$evaluations" != 0 ] && [ "$evaluations" -lt 30 ]; then
  echo "run_b.sh: --evaluations $evaluations is below 30: linas measures 25 random networks before its first predictor and bayesian 20; fix: --evaluations 30 or more" >&2
  exit 2
fi
[ "$deadline" = 0 ] || positive --deadline "$deadline"
[ -z "$front_evaluations" ] || positive --front-evaluations "$front_evaluations"
case "$phase" in all|search|report) ;; *) echo "run_b.sh: --phase '$phase' is not all, search or report; fix: e.g. --phase search" >&2; exit 2 ;; esac
case "$device" in cpu|cuda) ;; *) echo "run_b.sh: --device '$device' is not cpu or cuda; fix: e.g. --device cuda" >&2; exit 2 ;; esac
case "$cost" in macs) costs=(macs) ;; latency) costs=(latency) ;; both) costs=(macs latency) ;;
  *) echo "run_b.sh: --cost '$cost' is not macs, latency or both; fix: e.g. --cost both" >&2; exit 2 ;; esac
[ -n "$front_evaluations" ] || front_evaluations=$([ "$evaluations" = 0 ] && echo 2000 || echo $((4 * evaluations)))

began=$(date +%s)  # --deadline counts from here
strategies=(random nsga2 evolution linas bayesian)
checkpoint="$repo/examples/fashion-supernet/gpu/checkpoint.pt"
lut="$here/lut-fashion-w035.csv"

# Per cost: the objective column (metric:goal:scale for sample_efficiency_hv),
# the reference point (top-1 %, cost in those units), evolution's weight.
# The space spans 4.4 M (smallest network) to 29.3 M MACs (largest) and 1.33
# to 3.03 ms in the table; the checkpoint's sub-networks span about 91 to 93.5
# % top-1 on 2,000 validation images. Reference: 90 % and just above the
# largest cost, so every network can count: (90 %, 30 M MACs), (90 %, 3.1 ms).
declare -A metric=([macs]=cost.macs [latency]=cpu.latency_ms)
# Costs in thousands of MACs and in microseconds, so that hypervolumes are in
# the thousands: table.md prints them without decimals.
declare -A column=([macs]=cost.macs:min:1e-3 [latency]=cpu.latency_ms:min:1000)
declare -A reference=([macs]=90,30000 [latency]=90,3100)
declare -A axis=([macs]='MACs (thousands)' [latency]='latency on the 2-core VM (us, lut table)')
# evolution's weighted sum -top1 + w * cost, equal weight to both after
# normalising each by its span (top-1 ~2.5 points; 25 M MACs; 1.7 ms).
declare -A evolution_weight=([macs]=1e-7 [latency]=1.5)

budget_of() {  # strategy: the budget in configs/<strategy>.toml, capped
  local b
  b=$(awk -F'=' '/^\[budget\]/ { inb = 1; next } /^\[/ { inb = 0 } inb && $1 ~ /^evaluations *$/ { gsub(/ /, "", $2); print $2 }' "$here/configs/$1.toml")
  if [ "$evaluations" != 0 ] && [ "$b" -gt "$evaluations" ]; then b=$evaluations; fi
  echo "$b"
}

# evolution's --set keys (';'-separated): its weights for the cost and, when
# --evaluations caps its budget below its population of 50 (which it refuses:
# the search would end inside its random first iteration), the same
# proportions at half the budget.
evolution_sets() {  # budget cost
  local sets="search.weights=[1.0, ${evolution_weight[$2]}]"
  if [ "$1" -lt 50 ]; then
    local p=$(($1 / 2)); [ "$p" -ge 4 ] || p=4
    local parents=$((p / 5)); [ "$parents" -ge 2 ] || parents=2
    sets+=";search.population=$p;search.parents=$parents;search.mutations=$((p / 2));search.crossovers=$((p - p / 2))"
  fi
  echo "$sets"
}

# --- search phase ------------------------------------------------------------
search_phase() {
  mkdir -p "$out"
  [ "$no_build" = 1 ] || echo "building nasctl and the plugins used in $build..."
  if [ "$no_build" = 0 ] && ! cmake --build "$build" -j"$jobs" --target nasctl nasctl_space_ofa_mobilenetv3 nasctl_hardware_analytic \
      nasctl_hardware_lut nasctl_accuracy_supernet nasctl_search_random nasctl_search_nsga2 nasctl_search_evolution \
      nasctl_search_linas nasctl_search_bayesian >"$out/build.log" 2>&1; then
    tail -20 "$out/build.log" >&2
    echo "run_b.sh: build failed (log: $out/build.log); fix: configure $build with cmake first" >&2
    exit 1
  fi
  local nasctl="$build/bin/nasctl"
  rm -rf "$out/runs" "$out/logs" "$out/configs"
  mkdir -p "$out/configs" "$out/runs" "$out/logs"
  # One config per cost and strategy; random's objectives do not steer it.
  for c in "${costs[@]}"; do
    for s in "${strategies[@]}" true-front; do
      { sed -e "s#@CHECKPOINT@#$checkpoint#; s#@LUT@#$lut#; s#@DEVICE@#$device#" \
            -e "s#@CALIBRATION@#$calibration#; s#@VALIDATION@#$validation#; s#@COST@#${metric[$c]}#g" \
            "$here/configs/problem-b.toml.in"; echo; cat "$here/configs/$s.toml"; } >"$out/configs/$c-$s.toml"
    done
  done
  local first="${costs[0]}"
  "$nasctl" validate -c "$out/configs/$first-random.toml" >/dev/null

  # tasks: "config|seed|dir|budget|key=value;key=value" (--set extras); the long ones first.
  local tasks=()
  for c in "${costs[@]}"; do
    tasks+=("$c-true-front|0|$out/runs/$c-true-front/seed-0|$front_evaluations|")
  done
  for ((seed = 1; seed <= seeds; seed++)); do
    tasks+=("$first-random|$seed|$out/runs/random/seed-$seed|$(budget_of random)|")
    for c in "${costs[@]}"; do
      for s in nsga2 evolution linas bayesian; do
        local extra=""
        [ "$s" = evolution ] && extra="$(evolution_sets "$(budget_of evolution)" "$c")"
        tasks+=("$c-$s|$seed|$out/runs/$c-$s/seed-$seed|$(budget_of "$s")|$extra")
      done
    done
  done
  local total=0 t
  for t in "${tasks[@]}"; do total=$((total + $(cut -d'|' -f4 <<<"$t"))); done
  echo "${#tasks[@]} searches (${costs[*]}; seeds 1..$seeds; true fronts of $front_evaluations), at most $total evaluations" \
       "($calibration calibration + $validation validation images each, on $device), $jobs side by side"
  echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"

  echo "config,seed,budget,evaluations,seconds" >"$out/timing.csv"
  local start
  run_one() {  # config|seed|dir|budget|extra set
    local config seed dir budget extra t0 n
    IFS='|' read -r config seed dir budget extra <<<"$1"
    mkdir -p "$(dirname "$dir")"
    local sets=(--set "seed=$seed" --set "budget.evaluations=$budget")
    local e
    if [ -n "$extra" ]; then
      IFS=';' read -r -a e <<<"$extra"
      for x in "${e[@]}"; do sets+=(--set "$x"); done
    fi
    # Under --deadline, a search still running at the deadline is killed.
    local limit=()
    if [ "$deadline" != 0 ]; then
      local left=$((deadline - ($(date +%s) - began)))
      [ "$left" -ge 1 ] || left=1  # timeout 0 would mean no limit
      limit=(timeout -s KILL "$left")
    fi
    t0=$(date +%s%N)
    local rc=0
    # glibc keeps freed memory mapped (no trim, no mmap for large blocks):
    # otherwise every batch's activations are mmap'ed and unmapped again and
    # each pass pays page faults. Measured on the 2-core VM, one network,
    # 500 + 2,000 images, 1 thread, both runs side by side: 7.2 s CPU (15 s
    # wall) with these settings, 72 s CPU (110 s wall; 34 s of it system
    # time) without; the same top-1.
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
      GLIBC_TUNABLES=glibc.malloc.trim_threshold=4294967295:glibc.malloc.mmap_threshold=4294967295 \
      "${limit[@]}" "$nasctl" --no-progress search -c "$out/configs/$config.toml" "${sets[@]}" -o "$dir" \
      >"$out/logs/$config-seed-$seed.log" 2>&1 || rc=$?
    if [ "$rc" = 137 ] && [ "$deadline" != 0 ]; then
      echo "  $config seed $seed stopped at the deadline (incomplete)"
      rm -f "$dir/evaluations.csv"
      return 0
    elif [ "$rc" != 0 ]; then
      echo "run_b.sh: $config seed $seed failed; see $out/logs/$config-seed-$seed.log" >&2
      return 1
    fi
    n=$(($(wc -l <"$dir/evaluations.csv") - 1))
    # One line, appended at once: the jobs share the file.
    echo "$config,$seed,$budget,$n,$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')" >>"$out/timing.csv"
  }
  local failed=0 running=0 done_count=0 skipped=0
  start=$(date +%s)
  for t in "${tasks[@]}"; do
    if [ "$deadline" != 0 ] && [ $(($(date +%s) - began)) -ge "$deadline" ]; then
      skipped=$((skipped + 1))
      continue
    fi
    if [ "$running" -ge "$jobs" ]; then
      wait -n || failed=1
      running=$((running - 1)); done_count=$((done_count + 1))
      echo "  $done_count/${#tasks[@]} searches done, $(($(date +%s) - start)) s"
    fi
    # Checked again after the wait: a search needs time left to run in.
    if [ "$deadline" != 0 ] && [ $(($(date +%s) - began)) -ge "$deadline" ]; then
      skipped=$((skipped + 1))
      continue
    fi
    run_one "$t" &
    running=$((running + 1))
  done
  while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1)); done_count=$((done_count + 1))
    echo "  $done_count/${#tasks[@]} searches done, $(($(date +%s) - start)) s"
  done
  [ "$failed" = 0 ] || { echo "run_b.sh: some searches failed (above)" >&2; exit 1; }
  local seconds=$(($(date +%s) - start))
  # Seeds 1..k whose every run finished (all of them without --deadline).
  local complete=0 c s ok
  for ((seed = 1; seed <= seeds; seed++)); do
    ok=1
    [ -f "$out/runs/random/seed-$seed/evaluations.csv" ] || ok=0
    for c in "${costs[@]}"; do
      for s in nsga2 evolution linas bayesian; do
        [ -f "$out/runs/$c-$s/seed-$seed/evaluations.csv" ] || ok=0
      done
    done
    [ "$ok" = 1 ] || break
    complete=$seed
  done
  if [ "$skipped" != 0 ] && [ "$complete" -gt 0 ]; then
    echo "run_b.sh: --deadline $deadline s: $skipped searches not started; seeds 1..$complete complete, the report covers them"
  fi
  [ "$complete" -gt 0 ] || { echo "run_b.sh: no seed completed; fix: a later --deadline or fewer --evaluations" >&2; exit 1; }
  {
    echo "# written by run_b.sh --phase search; read by --phase report"
    echo "seeds=$complete evaluations=$evaluations cost=$cost front_evaluations=$front_evaluations"
    echo "device=$device calibration=$calibration validation=$validation jobs=$jobs search_seconds=$seconds"
  } >"$out/settings.sh"
  local evals
  evals=$(awk -F, 'NR > 1 { n += $4; s += $5 } END { printf "%d evaluations, %.2f s per evaluation per search (wall, one thread each)", n, s / n }' "$out/timing.csv")
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    [ "$device" = cuda ] && command -v nvidia-smi >/dev/null && echo "gpu: $(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)"
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "device: $device, jobs: $jobs, seeds: $seeds, calibration $calibration + validation $validation images"
    echo "searches: ${seconds} s; $evals"
  } | tee "$out/machine.txt"
}

# --- report phase --------------------------------------------------------------
report_phase() {
  [ -f "$out/settings.sh" ] || { echo "run_b.sh: $out/settings.sh not found; fix: run --phase search (or all) with this --out first" >&2; exit 1; }
  # shellcheck disable=SC1091
  . "$out/settings.sh"
  case "$cost" in macs) costs=(macs) ;; latency) costs=(latency) ;; *) costs=(macs latency) ;; esac
  if [ "$no_build" = 0 ] && ! cmake --build "$build" --target sample_efficiency_hv >"$out/build-hv.log" 2>&1; then
    tail -20 "$out/build-hv.log" >&2
    echo "run_b.sh: building sample_efficiency_hv failed (log: $out/build-hv.log); fix: a build folder with bench/ (Google Benchmark installed)" >&2
    exit 1
  fi
  local hv_tool="$build/bench/sample_efficiency_hv"
  # Checkpoints and reach targets of problem (a), capped at the budgets.
  local cap=500
  [ "$evaluations" = 0 ] || [ "$evaluations" -ge 500 ] || cap=$evaluations
  local checkpoints="" n
  for n in 25 50 100 125 150 250 500; do [ "$n" -gt "$cap" ] || checkpoints+="${checkpoints:+,}$n"; done
  local reach=(--reach "nsga2@$cap" --reach "random@$cap")
  [ "$cap" -le 100 ] || reach+=(--reach random@100)
  for c in "${costs[@]}"; do
    local run_args=()
    for s in "${strategies[@]}"; do
      local dir="$out/runs/$c-$s"
      [ "$s" = random ] && dir="$out/runs/random"
      for ((seed = 1; seed <= seeds; seed++)); do run_args+=("$s=$dir/seed-$seed/evaluations.csv"); done
    done
    rm -rf "$out/hv-$c"
    echo "--- accuracy.top1 against ${metric[$c]} ---"
    local front=()
    if [ -f "$out/runs/$c-true-front/seed-0/evaluations.csv" ]; then
      front=(--front "nsga2 $front_evaluations evaluations (population 100)=$out/runs/$c-true-front/seed-0/evaluations.csv")
    else
      echo "run_b.sh: no true-front run for $c (stopped at the deadline): the union of the runs stands in" >&2
    fi
    "$hv_tool" --objective accuracy.top1:max --objective "${column[$c]}" --reference "${reference[$c]}" \
      --checkpoints "$checkpoints" "${reach[@]}" \
      "${front[@]}" --out "$out/hv-$c" "${run_args[@]}"
    for s in "${strategies[@]}"; do
      awk -F, -v s="$s" 'NR == 1 || $1 == s' "$out/hv-$c/curves.csv" >"$out/hv-$c/curve-$s.csv"
    done
  done
  if ! command -v gnuplot >/dev/null; then
    echo "run_b.sh: gnuplot not found: no plot; fix: sudo apt-get install gnuplot-nox, then run --phase report again" >&2
    return 0
  fi
  local ext
  for ext in svg png; do
    local args="strategies='${strategies[*]}'; costs='${costs[*]}'; out='$out/sample-efficiency-b.$ext'; dir='$out'; xmax=$cap"
    for c in "${costs[@]}"; do
      args+="; true_$c=$(awk -F, 'NR > 1 && $NF > m { m = $NF } END { print m }' "$out/hv-$c/fronts.csv"); ref_$c='${reference[$c]}'; axis_$c='${axis[$c]}'"
    done
    gnuplot -e "$args" "$here/plot_b.gp"
  done
  if [ -n "$plot_copy" ]; then
    mkdir -p "$(dirname "$plot_copy")"
    cp "$out/sample-efficiency-b.${plot_copy##*.}" "$plot_copy"
  fi
  echo "results: $out/hv-*/summary.csv, reach.csv, table.md; $out/sample-efficiency-b.svg"
}

case "$phase" in
  search) search_phase ;;
  report) report_phase ;;
  all) search_phase; report_phase ;;
esac
