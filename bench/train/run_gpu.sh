#!/usr/bin/env bash
# Super-network training on the GPU machine (docs/results.md, "Super-network
# training on the GPU"): nasctl's CUDA build, its CUDA training tests, the
# training speed of nasctl against PyTorch, and the Fashion-MNIST runs:
# one super-network of the recipe (accuracy targets) and the
# ranking-archs.txt sub-networks each trained alone with the same recipe
# (ranking fidelity), all at width $WIDTH (0.35 unless set). The runs go on in
# the background between steps, so the steps are separate calls:
#
#   bench/train/run_gpu.sh build     # configure + build (CUDA LibTorch); NASCTL_GPU_TESTS= skips test_train
#   bench/train/run_gpu.sh tests     # the CUDA test cases of test_train
#   bench/train/run_gpu.sh example-start [ARGS]  # train the w0.35 recipe super-network in the background
#   bench/train/run_gpu.sh example-finish S    # wait for it (at most S s), test-split figures, files to $OUT
#   bench/train/run_gpu.sh speed     # nasctl train vs PyTorch, fp32 and bf16 + channels-last
#   bench/train/run_gpu.sh variants  # the same for fp32, bf16, channels-last, both, with each process's CPU time
#   bench/train/run_gpu.sh batches   # bf16 + channels-last on both sides at batch 256 and 512 (host- or GPU-paced?)
#   bench/train/run_gpu.sh profile   # bf16 + channels-last steps of both under ncu, GPU time by kernel (kernel_summary.py)
#   bench/train/run_gpu.sh launch    # start the super-network and the 12 alone runs (width $WIDTH, 0.35) in the background;
#                                    # MPS=1 starts the MPS daemon first
#   bench/train/run_gpu.sh alone     # start only the 12 alone runs (the super-network comes from SUPERNET);
#                                    # MPS=1 starts the MPS daemon first
#   bench/train/run_gpu.sh wait S    # report progress until all runs end or S seconds pass
#   bench/train/run_gpu.sh evaluate  # inherited vs alone accuracies, test-split figures, checkpoint to $OUT
#                                    # (SPLIT=test: both on the test images)
#
# RESOLUTIONS=16,20,24,28 runs launch, alone and evaluate on the space with
# those resolutions and ranking-archs-r.txt (see below).
# SEED=N trains the alone runs with train.seed = N, RUNS=DIR keeps them apart
# from other seeds' (the ranking's ceiling: bench/train/ranking.py with one
# alone file per seed).
#
# SUPERNET=path/checkpoint.pt makes `evaluate` take the inherited accuracies
# from that checkpoint (e.g. examples/fashion-supernet/gpu/checkpoint.pt, the
# recipe super-network trained earlier) instead of this machine's run.
#   bench/train/run_gpu.sh all S     # build, tests, speed, launch, wait: S seconds in all
#
# From the repo root, after scripts/gpu/make-carry.sh here, with the four
# Fashion-MNIST files copied to .gpu-data/fashion-mnist (carried: the GPU
# machine has no Debian package). Results go to $OUT.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
OUT=${OUT:-/tmp/out}
runs=${RUNS:-/root/train-runs}
build=${BUILD:-$repo/build-gpu}
nasctl="$build/bin/nasctl"
gpu="$here/gpu"
mkdir -p "$OUT" "$runs"

data() {
  mkdir -p /usr/share/datasets/fashion-mnist
  cp --update=none "$repo"/.gpu-data/fashion-mnist/*.gz /usr/share/datasets/fashion-mnist/
}

step_build() {
  data
  local tp start
  tp=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
  start=$(date +%s)
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$tp" \
    -DNASCTL_EXTRA_PREFIX="$repo/.carry" -DNASCTL_REQUIRE_PAGMO=OFF -DNASCTL_BUILD_BENCH=OFF >"$OUT/configure.log" 2>&1 \
    || { tail -30 "$OUT/configure.log"; return 1; }
  cmake --build "$build" -j16 --target nasctl nasctl_commands_torch nasctl_space_ofa_mobilenetv3 \
    nasctl_accuracy_supernet nasctl_hardware_analytic nasctl_search_random ${NASCTL_GPU_TESTS-test_train} -- -k 0 >"$OUT/build.log" 2>&1 \
    || { grep -E "^FAILED|error" "$OUT/build.log" | head -30; return 1; }
  echo "build: $(($(date +%s) - start)) s"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
}

step_tests() {
  # The CUDA cases (the others run in CI); CUDA first-use included.
  (cd "$build/tests" && ./test_train -tc="*CUDA*" 2>&1 | tail -25) || true
}

# The width-0.35 super-network of the GPU recipe alone (what
# examples/fashion-supernet would ship if trained here instead of on a CPU):
# its checkpoint, training log, metrics and test-split figures.
example_dir=$runs/fashion-supernet

step_example_start() {  # extra nasctl train arguments, e.g. --set 'train.phases[1].epochs=8'
  data
  rm -rf "$example_dir"
  setsid nohup "$nasctl" train -c "$gpu/recipe.toml" --set space.width=0.35 -o "$example_dir" --no-progress "$@" \
    >"$example_dir.log" 2>&1 &
  sleep 2
}

step_example_finish() {
  local deadline=$(($(date +%s) + $1)) out="$OUT/fashion-supernet"
  while running && [ "$(date +%s)" -lt "$deadline" ]; do sleep 5; done
  running && echo "example: still training at the deadline; its last finished epoch is kept"
  mkdir -p "$out"
  cp "$example_dir.log" "$out/train.log"
  cp "$example_dir/metrics.csv" "$example_dir/checkpoint.pt" "$out/" || return 1
  tail -4 "$out/train.log"
  # Test-split figures of the largest and the smallest (first and last line).
  "$nasctl" evaluate -c "$gpu/evaluate.toml" --set space.width=0.35 --set accuracy.split=test \
    --set "accuracy.checkpoint=$out/checkpoint.pt" "$(head -1 "$gpu/ranking-archs.txt")" \
    "$(tail -1 "$gpu/ranking-archs.txt")" -o "$out/test-split.csv" 2>"$out/evaluate.log" || tail -3 "$out/evaluate.log"
  cat "$out/test-split.csv"
}

# images/s of the last epoch of a nasctl train run folder
last_speed() { tail -1 "$1/metrics.csv" | awk -F, '{ print $(NF - 1) }'; }

step_speed() {
  data
  local form flags
  for form in fp32 bf16; do
    flags=()
    [ "$form" = bf16 ] && flags=(--set train.bf16=true --set train.channels_last=true)
    rm -rf "$runs/speed-$form"
    "$nasctl" train -c "$gpu/speed.toml" -o "$runs/speed-$form" --no-progress "${flags[@]}" >"$runs/speed-$form.log" 2>&1 \
      || { tail -5 "$runs/speed-$form.log"; return 1; }
    echo "nasctl train, cuda $form, batch 256: $(last_speed "$runs/speed-$form") images/s (epoch 2 of 2, 40 steps)"
    if [ "$form" = bf16 ]; then flags=(--bf16 --channels-last); else flags=(); fi
    python3 "$here/pytorch_train_speed.py" --device cuda --batch 256 --steps 40 --warmup 5 --threads 1 "${flags[@]}"
  done | tee "$OUT/speed.txt"
}

# Wall and CPU seconds of a command (CPU time near wall time on the main
# thread means the host side, not the GPU, sets the pace).
timed() {
  python3 -c '
import resource, subprocess, sys, time
start = time.time()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"wall {time.time() - start:.1f} s, cpu user {usage.ru_utime:.1f} s + sys {usage.ru_stime:.1f} s, rc {rc}")
' "$@"
}

# Why bf16 does not speed nasctl up (docs/results.md): every precision and
# memory-format combination on both sides, with the CPU time of each run.
step_variants() {
  data
  local form flags pyflags
  for form in fp32 bf16 cl bf16-cl; do
    flags=() pyflags=()
    case $form in
      bf16) flags=(--set train.bf16=true) pyflags=(--bf16) ;;
      cl) flags=(--set train.channels_last=true) pyflags=(--channels-last) ;;
      bf16-cl) flags=(--set train.bf16=true --set train.channels_last=true) pyflags=(--bf16 --channels-last) ;;
    esac
    rm -rf "$runs/variant-$form"
    echo "nasctl $form: $(timed "$nasctl" train -c "$gpu/speed.toml" -o "$runs/variant-$form" --no-progress "${flags[@]}")," \
      "$(last_speed "$runs/variant-$form") images/s (epoch 2)"
    python3 "$here/pytorch_train_speed.py" --device cuda --batch 256 --steps 40 --warmup 5 --threads 1 "${pyflags[@]}"
  done | tee "$OUT/variants.txt"
}

# Host-paced or GPU-paced: a step paced by the host (launches, autograd)
# costs about the same at twice the batch, so its images/s nearly doubles;
# a GPU-paced one stays. bf16 + channels-last on both sides, batch 256 and 512.
step_batches() {
  data
  local batch
  for batch in 256 512; do
    rm -rf "$runs/batch-$batch"
    "$nasctl" train -c "$gpu/speed.toml" -o "$runs/batch-$batch" --no-progress --set train.bf16=true \
      --set train.channels_last=true --set "train.batch_size=$batch" >"$runs/batch-$batch.log" 2>&1 \
      || tail -5 "$runs/batch-$batch.log"
    echo "nasctl train, cuda bf16 + channels-last, batch $batch: $(last_speed "$runs/batch-$batch") images/s (epoch 2)"
    python3 "$here/pytorch_train_speed.py" --device cuda --batch "$batch" --steps 20 --warmup 5 --threads 1 --bf16 \
      --channels-last
  done | tee "$OUT/batches.txt"
}

# The kernels of two bf16 + channels-last training steps on each side, timed
# by Nsight Compute (ncu, --clock-control none) and summarised per step by
# kernel and category (kernel_summary.py): which GPU work nasctl's bf16 step
# has that PyTorch's has not. The windows skip the first 10,000 kernels (the
# warm-up steps) and take 3,000, two steps of about 1,500 kernels.
step_profile() {
  data
  command -v ncu >/dev/null || { echo "profile: ncu is not on the PATH"; return 1; }
  local ncu=(timeout 240 ncu --clock-control none --metrics gpu__time_duration.sum --csv --print-units base
    --launch-skip "${SKIP:-10000}" --launch-count "${COUNT:-3000}")
  rm -rf "$runs/profile-bf16"
  "${ncu[@]}" --log-file "$OUT/ncu-nasctl.csv" "$nasctl" train -c "$gpu/speed.toml" -o "$runs/profile-bf16" \
    --no-progress --set train.bf16=true --set train.channels_last=true --set train.epochs=1 >"$runs/profile-bf16.log" 2>&1 \
    || tail -5 "$runs/profile-bf16.log"
  "${ncu[@]}" --log-file "$OUT/ncu-pytorch.csv" python3 "$here/pytorch_train_speed.py" --device cuda --batch 256 \
    --steps 30 --warmup 5 --threads 1 --bf16 --channels-last >/dev/null 2>&1 || echo "profile: PyTorch's run failed"
  python3 "$here/kernel_summary.py" "$OUT/ncu-nasctl.csv" "$OUT/ncu-pytorch.csv" | tee "$OUT/profile.txt"
}

# The form (fp32 or bf16) nasctl trained faster in: the training runs use it.
fastest_form() {
  local fp32 bf16
  fp32=$(last_speed "$runs/speed-fp32" 2>/dev/null || echo 0)
  bf16=$(last_speed "$runs/speed-bf16" 2>/dev/null || echo 0)
  awk -v a="$fp32" -v b="$bf16" 'BEGIN { print (b > a ? "bf16" : "fp32") }'
}

# RESOLUTIONS=16,20,24,28: the elastic-resolution study. The space takes
# those sizes (Fashion-MNIST's images resized), the recipe's sandwich phase
# draws r with the other variables, and the sub-networks ranked are those of
# ranking-archs-r.txt (the same twelve at 16 to 28 pixels, so that their
# stand-alone accuracies differ by more than training noise).
space_args=() sandwich_args=() archs=$gpu/ranking-archs.txt
if [ -n "${RESOLUTIONS:-}" ]; then
  space_args=(--set "space.resolutions=[$RESOLUTIONS]")
  sandwich_args=(--set 'train.phases[1].elastic=["ks", "d", "e", "r"]')
  archs=$gpu/ranking-archs-r.txt
fi

start_run() {  # name, then nasctl train arguments
  local name=$1
  shift
  setsid nohup "$nasctl" train -c "$gpu/recipe.toml" -o "$runs/$name" --no-progress "${space_args[@]}" "$@" \
    >"$runs/$name.log" 2>&1 &
}

# One super-network and the ranking-archs.txt sub-networks alone, all at
# width $WIDTH (0.35 by default: the ranking needs one super-network, and the
# narrow one trains in a fraction of the wide one's GPU time).
width=${WIDTH:-0.35}

step_launch() {
  data
  [ "${MPS:-0}" = 1 ] && mps_on
  local form flags=()
  form=$(fastest_form)
  [ "$form" = bf16 ] && flags=(--set train.bf16=true --set train.channels_last=true)
  echo "form: $form, width $width" | tee "$runs/form.txt"
  start_run "supernet-w$width" --set "space.width=$width" "${sandwich_args[@]}" "${flags[@]}"
  launch_alone "${flags[@]}"
}

# ALONE="0 1 2" starts only those lines of the sub-network file (0-based).
# The 12 runs side by side on one H100 took 383 s under MPS (MPS=1, about
# 23,500 images/s in all); time-slicing managed about 14,300.
launch_alone() {  # extra nasctl train arguments (the precision flags)
  local i=0 arch
  while read -r arch; do
    [ -z "$arch" ] && continue
    if [ -z "${ALONE:-}" ] || [[ " $ALONE " == *" $i "* ]]; then
      start_run "alone-$i" --set "space.width=$width" --set "train.subnetwork=$arch" --set train.sampler=spos \
        --set "train.seed=${SEED:-0}" "$@"
    fi
    i=$((i + 1))
  done <"$archs"
  sleep 20
  status
}

step_alone() {
  data
  [ "${MPS:-0}" = 1 ] && mps_on
  launch_alone
}

# Twelve small trainings side by side: without MPS the GPU time-slices
# between their twelve contexts; the MPS daemon (where the driver has it)
# runs their kernels at once. Off again when a client cannot reach it.
mps_on() {
  command -v nvidia-cuda-mps-control >/dev/null || { echo "mps: no nvidia-cuda-mps-control, time-slicing"; return 0; }
  nvidia-cuda-mps-control -d || { echo "mps: the daemon did not start, time-slicing"; return 0; }
  if timeout 90 python3 -c "import torch; torch.ones(1, device='cuda').sum().item()"; then
    echo "mps: on"
  else
    echo quit | nvidia-cuda-mps-control
    echo "mps: a client could not use it, time-slicing"
  fi
}

status() {
  local log
  for log in "$runs"/supernet-*.log "$runs"/alone-*.log; do
    printf '%-22s %s\n' "$(basename "$log" .log)" "$(grep -E "epoch [0-9]+/|error" "$log" | tail -1 | cut -c1-170)"
  done
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader
}

running() { pgrep -f "$build/bin/nasctl train" >/dev/null; }

collect() {
  tar -czf "$OUT/train-runs.tgz" -C "$runs" --exclude='*.pt' .
}

step_wait() {
  local deadline=$(($(date +%s) + $1))
  while running && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 30
    echo "--- $(date -u +%H:%M:%S)"
    status
  done
  running && echo "still running" || echo "all runs ended"
  collect
}

# SPLIT=test scores on Fashion-MNIST's test images instead of the
# validation split (files inherited-test.csv, alone-test.csv).
step_evaluate() {
  data
  local i=0 arch sn="$runs/supernet-w$width" checkpoint split=() suffix=""
  checkpoint=${SUPERNET:-$sn/checkpoint.pt}
  [ -n "${SPLIT:-}" ] && split=(--set "accuracy.split=$SPLIT") suffix="-$SPLIT"
  : >"$OUT/alone$suffix.csv"
  "$nasctl" evaluate -c "$gpu/evaluate.toml" --set "space.width=$width" "${space_args[@]}" --set "accuracy.checkpoint=$checkpoint" \
    "${split[@]}" --archs "$archs" -o "$OUT/inherited$suffix.csv" 2>"$OUT/evaluate.log" \
    || tail -3 "$OUT/evaluate.log"
  while read -r arch; do
    [ -z "$arch" ] && continue
    "$nasctl" evaluate -c "$gpu/evaluate.toml" --set "space.width=$width" "${space_args[@]}" \
      --set "accuracy.checkpoint=$runs/alone-$i/checkpoint.pt" "${split[@]}" "$arch" \
      2>>"$OUT/evaluate.log" | tail -n +$((i == 0 ? 1 : 2)) >>"$OUT/alone$suffix.csv"
    i=$((i + 1))
  done <"$archs"
  # Test-split figures of the largest and the smallest (first and last line).
  "$nasctl" evaluate -c "$gpu/evaluate.toml" --set "space.width=$width" "${space_args[@]}" --set accuracy.split=test \
    --set "accuracy.checkpoint=$checkpoint" "$(head -1 "$archs")" \
    "$(tail -1 "$archs")" -o "$OUT/test-w$width.csv" 2>>"$OUT/evaluate.log"
  if [ -z "${SUPERNET:-}" ]; then
    mkdir -p "$OUT/supernet-w$width"
    cp "$sn/checkpoint.pt" "$sn/metrics.csv" "$OUT/supernet-w$width/"
    cp "$sn.log" "$OUT/supernet-w$width/train.log"
  fi
  collect
  cat "$OUT/inherited$suffix.csv" "$OUT/alone$suffix.csv" "$OUT"/test-w*.csv | cut -c1-60,150-
}

# Everything up to the running trainings in one call (the machine goes back
# after a short idle time, so the steps run back to back): build, CUDA
# tests, speed, launch, then progress reports until $1 seconds have passed
# since the call began.
step_all() {
  local start deadline
  start=$(date +%s)
  deadline=$((start + ${1:-570}))
  step_build || return 1
  step_tests
  step_speed
  step_launch
  step_wait $((deadline - $(date +%s)))
}

case "${1:-}" in
  build) step_build ;;
  tests) step_tests ;;
  example-start) shift; step_example_start "$@" ;;
  example-finish) step_example_finish "${2:-600}" ;;
  speed) step_speed ;;
  variants) step_variants ;;
  batches) step_batches ;;
  profile) step_profile ;;
  launch) step_launch ;;
  alone) step_alone ;;
  wait) step_wait "${2:-540}" ;;
  status) status ;;
  evaluate) step_evaluate ;;
  all) step_all "${2:-570}" ;;
  *) sed -n '2,26p' "$0"; exit 2 ;;
esac
