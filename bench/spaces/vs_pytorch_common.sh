# Sourced by transformer_vs_pytorch.sh and encoder_vs_pytorch.sh: the
# `measure` config nasctl is timed with and the line its figures print as,
# the same for both. DEVICE=cuda (default cpu) times both sides on the GPU:
# nasctl's measure in its default CUDA graph, PyTorch eager, frozen and
# graph-captured (pytorch_timing.py). PYTHON names the interpreter with
# torch (default /usr/bin/python3, Debian's python3-torch).
device=${DEVICE:-cpu}
python=${PYTHON:-/usr/bin/python3}
export OMP_NUM_THREADS=1

# measure_config FILE MODE WARMUP REPEATS MAX_SECONDS, the [space] table on stdin.
measure_config() {
  {
    echo "seed = 1"
    cat
    cat <<TOML
[budget]
evaluations = 1
[search]
plugin = "random"
[[hardware]]
name = "timed"
plugin = "measure"
device = "$device"
threads = 1
mode = "$2"
warmup = $3
repeats = $4
max_repeats = $4
ci_target_percent = 0
max_seconds = $5
[[objectives]]
metric = "timed.latency_ms"
goal = "min"
TOML
  } > "$1"
}

# nasctl_figures BUILD CONFIG ARCH MODE: nasctl's median and CPU time per pass.
nasctl_figures() {
  local line
  line=$("$1/bin/nasctl" evaluate -c "$2" "$3" 2>/dev/null | tail -1)
  # After the quoted arch: latency_ms, latency_spread, latency_cpu_ms, latency_ci_percent.
  echo "nasctl $device $4: median_ms=$(cut -d, -f2 <<<"${line##*\"}") cpu_ms=$(cut -d, -f4 <<<"${line##*\"}")"
}
