#!/usr/bin/env bash
# The SDK as a plugin author meets it, end to end:
#   1. docs/writing-a-hardware-plugin.md is followed literally: its `file=`
#      blocks are written out (and must equal sdk/examples/throughput-model/),
#      its ```sh blocks run in order in one bash shell (install nasctl into a
#      temporary prefix, build the plugin against it with find_package(nasctl),
#      list it, show it, validate and evaluate a config that uses it, install
#      it), and each ```text output block must equal what the sh block before
#      it printed;
#   2. then the installed prefix itself is checked: layout, no path of the
#      source or build tree in the CMake package, every binary resolving
#      libnasctl-*.so inside the prefix, built-in plugins found from another
#      folder without NAS_PLUGIN_PATH, the plugin's keys as declared, its
#      roofline arithmetic, a one-line error for a bad key, and a moved prefix
#      that still runs and still builds the plugin.
#
# usage: out_of_tree_plugin.sh --source DIR --build DIR [--cmake PATH] [--ninja PATH] [--keep]
set -euo pipefail

source_dir="" build_dir="" cmake_bin="" ninja_bin="" keep=0
while (($#)); do
  case "$1" in
    --source) source_dir=$2; shift 2 ;;
    --build) build_dir=$2; shift 2 ;;
    --cmake) cmake_bin=$2; shift 2 ;;
    --ninja) ninja_bin=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 --source DIR --build DIR [--cmake PATH] [--ninja PATH] [--keep]" >&2; exit 2 ;;
  esac
done

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

[[ -n $source_dir && -n $build_dir ]] || fail "--source and --build are required"
doc="$source_dir/docs/writing-a-hardware-plugin.md"
example="$source_dir/sdk/examples/throughput-model"
[[ -f $doc ]] || fail "$doc: missing"
[[ -d $example ]] || fail "$example: missing"
[[ -x $build_dir/bin/nasctl ]] ||
  fail "$build_dir/bin/nasctl: not built; fix: build everything first (cmake --build $build_dir), this test installs it"

# The doc says `cmake`; run the cmake (and ninja) that built nasctl.
[[ -n $cmake_bin ]] && PATH="$(dirname "$cmake_bin"):$PATH"
[[ -n $ninja_bin && $(basename "$ninja_bin") == ninja* ]] && PATH="$(dirname "$ninja_bin"):$PATH"
export PATH
command -v cmake >/dev/null || fail "cmake not on PATH; fix: install CMake >= 3.22 or pass --cmake"
command -v ninja >/dev/null || fail "ninja not on PATH; fix: install ninja-build or pass --ninja"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nasctl-sdk-test.XXXXXX")
if ((keep)); then echo "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
# The user's environment must not help: plugins come from the prefix or
# from where the doc says.
unset NAS_PLUGIN_PATH
export NASCTL_BUILD="$build_dir" NASCTL_PREFIX="$tmp/prefix"
work="$tmp/work" blocks="$tmp/blocks" out="$tmp/out"
mkdir -p "$work" "$blocks" "$out"

step "split $doc into blocks"
# Each fenced block becomes blocks/NNN.txt (its text) and blocks/NNN.info
# ("<language><TAB><rest of the info string>").
awk -v dir="$blocks" '
  /^```/ && !inside {
    inside = 1; n++; info = substr($0, 4); lang = info; sub(/ .*/, "", lang)
    rest = (index(info, " ") ? substr(info, index(info, " ") + 1) : "")
    base = sprintf("%s/%03d", dir, n)
    printf "%s\t%s\n", lang, rest > (base ".info"); close(base ".info")
    printf "" > (base ".txt"); next
  }
  /^```$/ && inside { inside = 0; close(base ".txt"); next }
  inside { print > (base ".txt") }
  END { if (inside) { print "unterminated code block" > "/dev/stderr"; exit 1 } }
' "$doc"

step "write the files the doc shows and compare them with $example"
declare -A written=()
for info in "$blocks"/*.info; do
  IFS=$'\t' read -r lang rest <"$info" || true
  [[ $rest == file=* ]] || continue
  target="$work/${rest#file=}"
  mkdir -p "$(dirname "$target")"
  # Blocks of one file are consecutive pieces separated by one blank line.
  [[ -n ${written[$target]:-} ]] && printf '\n' >>"$target"
  cat "${info%.info}.txt" >>"$target"
  written[$target]=1
done
for f in "$example"/*; do
  name=$(basename "$f")
  [[ -f $work/throughput-model/$name ]] ||
    fail "the doc never shows throughput-model/$name; fix: add it as a block tagged file=throughput-model/$name"
  diff -u "$f" "$work/throughput-model/$name" >&2 ||
    fail "$doc: its throughput-model/$name differs from $f (diff above); fix: make the doc's blocks and the example equal"
done
[[ -f $work/edge.toml ]] || fail "$doc: no block tagged file=edge.toml"

step "run the doc's sh blocks in one shell"
script="$tmp/doc.sh"
{
  echo 'set -eEuo pipefail'
  echo 'exec 3>&1 4>&2'
  printf 'cd %q\n' "$work"
} >"$script"
sh_blocks=()
for info in "$blocks"/*.info; do
  IFS=$'\t' read -r lang rest <"$info" || true
  [[ $lang == sh ]] || continue
  n=$(basename "${info%.info}")
  sh_blocks+=("$n")
  {
    printf 'echo %s >%q\n' "$n" "$out/current"
    printf 'exec >%q 2>%q\n' "$out/$n.stdout" "$out/$n.stderr"
    cat "${info%.info}.txt"
    echo 'exec 1>&3 2>&4'
  } >>"$script"
done
((${#sh_blocks[@]} >= 5)) || fail "$doc: only ${#sh_blocks[@]} sh blocks; the walkthrough has at least 5"
if ! bash "$script"; then
  n=$(cat "$out/current")
  echo "--- doc block $n:" >&2; cat "$blocks/$n.txt" >&2
  echo "--- its stdout (last 40 lines):" >&2; tail -n 40 "$out/$n.stdout" >&2
  echo "--- its stderr (last 40 lines):" >&2; tail -n 40 "$out/$n.stderr" >&2
  fail "$doc: sh block $n failed (above); fix: the doc or what it documents"
fi

step "compare the doc's output blocks with what the commands printed"
previous_sh="" outputs=0
for info in "$blocks"/*.info; do
  IFS=$'\t' read -r lang rest <"$info" || true
  n=$(basename "${info%.info}")
  if [[ $lang == sh ]]; then previous_sh=$n; continue; fi
  [[ $lang == text && $rest == output ]] || continue
  [[ -n $previous_sh ]] || fail "$doc: output block $n follows no sh block"
  diff -u "$blocks/$n.txt" "$out/$previous_sh.stdout" >&2 ||
    fail "$doc: output block $n differs from what sh block $previous_sh printed (diff above: - doc, + actual)"
  outputs=$((outputs + 1))
done
((outputs >= 1)) || fail "$doc: no \`\`\`text output block to check"

prefix="$NASCTL_PREFIX"
block_printing() {  # the stdout of the first sh block whose text contains $1
  local n
  for n in "${sh_blocks[@]}"; do
    if grep -qF -- "$1" "$blocks/$n.txt"; then echo "$out/$n.stdout"; return; fi
  done
  fail "$doc: no sh block runs '$1'"
}

step "the doc's listing with --path shows the plugin built out of tree"
listing=$(block_printing "nasctl plugins --path throughput-model/build")
grep -Eq '^hardware +throughput +1\.0\.0 ' "$listing" || fail "plugins --path throughput-model/build: no 'throughput' row in $(cat "$listing")"
grep -qF "$work/throughput-model/build/nasctl-hardware-throughput.so" "$listing" ||
  fail "plugins --path: the throughput row does not name the built file"

step "installed layout"
for f in bin/nasctl lib/libnasctl-sdk.so include/nasctl/export.hpp include/nasctl/network_spec.hpp \
  lib/cmake/nasctl/nasctlConfig.cmake lib/cmake/nasctl/nasctlConfigVersion.cmake lib/cmake/nasctl/nasctlTargets.cmake \
  lib/cmake/nasctl/NasctlPlugin.cmake lib/nasctl/plugins/nasctl-space-ofa-mobilenetv3.so \
  lib/nasctl/plugins/nasctl-hardware-analytic.so lib/nasctl/plugins/nasctl-hardware-throughput.so; do
  [[ -e $prefix/$f ]] || fail "install: $prefix/$f missing"
done
[[ -n $(find "$prefix/share/nasctl/data" -name '*.csv' -print -quit) ]] || fail "install: no data tables under share/nasctl/data"

step "the CMake package names no path of the source or build tree"
for tree in "$source_dir" "$build_dir" "$(cd "$source_dir" && pwd -P)" "$(cd "$build_dir" && pwd -P)"; do
  if grep -rlF "$tree" "$prefix/lib/cmake/nasctl" >&2; then
    fail "the installed CMake files above name $tree; fix: use \$<INSTALL_INTERFACE:...> / PACKAGE_ paths"
  fi
done

step "every installed binary finds libnasctl-*.so inside the prefix by itself"
command -v ldd >/dev/null || fail "ldd not found; fix: install libc-bin"
real_prefix=$(cd "$prefix" && pwd -P)
for f in "$prefix"/bin/nasctl "$prefix"/lib/libnasctl-*.so "$prefix"/lib/nasctl/plugins/*.so; do
  deps=$(env -u LD_LIBRARY_PATH ldd "$f") || fail "ldd $f failed"
  if grep -q 'not found' <<<"$deps"; then fail "$f: unresolved libraries (check its RUNPATH):"$'\n'"$deps"; fi
  while read -r lib _ path _; do
    resolved=$(realpath "$path")
    [[ $resolved == "$real_prefix"/lib/* ]] || fail "$f: $lib resolves to $resolved, outside $prefix/lib (RUNPATH?)"
  done < <(grep -E '^\s*libnasctl-' <<<"$deps")
done

step "the moved prefix finds its built-in plugins from another folder, without NAS_PLUGIN_PATH"
moved="$tmp/moved-prefix"
mv "$prefix" "$moved"
json=$(cd / && "$moved/bin/nasctl" plugins --json) || fail "nasctl plugins --json failed in the moved prefix"
for name in ofa-mobilenetv3 analytic throughput; do
  grep -q "\"name\": \"$name\"" <<<"$json" || fail "moved prefix: plugin '$name' not listed: $json"
done
files=$(grep -o '"file": "[^"]*"' <<<"$json" | cut -d'"' -f4)
[[ -n $files ]] || fail "moved prefix: no plugin files listed"
while read -r f; do
  [[ $f == "$moved"/lib/nasctl/plugins/* ]] || fail "moved prefix: plugin loaded from $f, outside $moved/lib/nasctl/plugins"
done <<<"$files"

step "plugins show lists every key the source declares"
show=$(cd / && "$moved/bin/nasctl" plugins show throughput)
keys=$(grep -oE '(rate_key|ConfigKey::[a-z]+)\("[a-z_]+"' "$example/throughput.cpp" | cut -d'"' -f2)
(($(wc -l <<<"$keys") == 6)) || fail "expected 6 keys declared in throughput.cpp, found: $keys"
for key in $keys; do
  grep -Eq "^  $key +(float|integer) +default " <<<"$show" || fail "plugins show throughput: key $key missing in:"$'\n'"$show"
done

step "the roofline arithmetic"
cat >"$tmp/check.toml" <<'EOF'
[space]
plugin = "ofa-mobilenetv3"
[search]
plugin = "random"
[budget]
evaluations = 1
[[hardware]]
name = "edge"
plugin = "throughput"
[[hardware]]
name = "cost"
plugin = "analytic"
[[objectives]]
metric = "edge.latency_ms"
goal = "min"
EOF
arch="{'wid': None, 'ks': [5,3,7,5,3,5,7,3,5,5,3,7,5,3,5,7,3,5,5,3], 'e': [4,6,3,4,6,4,3,6,4,4,6,3,4,6,4,3,6,4,4,6], 'd': [3,2,4,3,3], 'r': [224]}"
evaluate() {  # prints "<edge.latency_ms> <cost.macs>" for $arch with the given --set overrides
  local csv
  csv=$(cd / && "$moved/bin/nasctl" evaluate -c "$tmp/check.toml" "$arch" "${@/#/--set=hardware.edge.}") ||
    fail "nasctl evaluate $* failed"
  [[ $(head -n1 <<<"$csv") == arch,edge.latency_ms,cost.macs,* ]] || fail "evaluate: unexpected header in $csv"
  tail -n1 <<<"$csv" | awk -F, '{print $(NF-3), $(NF-2)}'
}
# Compute-bound (every rate 1 GMAC/s, memory and overhead free): latency is
# exactly the MAC count at 1e9 MAC/s, whatever the layer classes.
row=$(evaluate dense_gmacs=1 depthwise_gmacs=1 linear_gmacs=1 memory_gbps=1e9 overhead_us=0)
read -r latency macs <<<"$row"
awk -v l="$latency" -v m="$macs" 'BEGIN { e = l / (m * 1e-6) - 1; exit !(m > 0 && e < 1e-9 && e > -1e-9) }' ||
  fail "compute-bound latency $latency ms != MACs $macs / 1e9 MAC/s"
# Memory-bound (compute free): latency is bytes over bandwidth, so it scales
# with bytes_per_element exactly.
row=$(evaluate dense_gmacs=1e9 depthwise_gmacs=1e9 linear_gmacs=1e9 memory_gbps=1 overhead_us=0 bytes_per_element=1)
read -r latency1 _ <<<"$row"
row=$(evaluate dense_gmacs=1e9 depthwise_gmacs=1e9 linear_gmacs=1e9 memory_gbps=1 overhead_us=0 bytes_per_element=4)
read -r latency4 _ <<<"$row"
awk -v a="$latency1" -v b="$latency4" 'BEGIN { e = b / (4 * a) - 1; exit !(a > 0 && e < 1e-6 && e > -1e-6) }' ||
  fail "memory-bound latency with 4 bytes per element ($latency4 ms) is not 4x that with 1 ($latency1 ms)"
# Depthwise convolutions are priced at their own rate.
row=$(evaluate dense_gmacs=1 depthwise_gmacs=0.1 linear_gmacs=1 memory_gbps=1e9 overhead_us=0)
read -r slow_dw _ <<<"$row"
awk -v s="$slow_dw" -v l="$latency" 'BEGIN { exit !(s > 1.1 * l) }' ||
  fail "a 10x slower depthwise rate did not slow the network ($slow_dw ms vs $latency ms)"
# The defaults give a plausible latency for a mid-size sub-network.
row=$(evaluate)
read -r default_latency _ <<<"$row"
awk -v l="$default_latency" 'BEGIN { exit !(l > 1 && l < 100) }' || fail "default latency $default_latency ms out of range"

step "a bad key value is one line naming the key and the fix"
set +e
err=$(cd / && "$moved/bin/nasctl" evaluate -c "$tmp/check.toml" "$arch" --set hardware.edge.memory_gbps=0 2>&1 >/dev/null)
rc=$?
set -e
((rc == 2)) || fail "memory_gbps = 0: exit code $rc, expected 2"
(($(wc -l <<<"$err") == 1)) && [[ $err == *memory_gbps* && $err == *"fix:"* ]] ||
  fail "memory_gbps = 0: expected one line naming the key and a fix, got: $err"

step "the moved CMake package still builds the plugin"
cmake -S "$work/throughput-model" -B "$tmp/build-moved" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$moved" >"$tmp/moved-configure.log" 2>&1 ||
  { cat "$tmp/moved-configure.log" >&2; fail "configure against the moved prefix failed"; }
cmake --build "$tmp/build-moved" >"$tmp/moved-build.log" 2>&1 ||
  { cat "$tmp/moved-build.log" >&2; fail "build against the moved prefix failed"; }
grep -qF "$moved/lib/nasctl/plugins" "$tmp/build-moved/cmake_install.cmake" ||
  fail "the moved package does not install plugins into $moved/lib/nasctl/plugins"
if grep -rqF "$prefix/" "$tmp/build-moved/CMakeCache.txt" "$tmp/build-moved/build.ninja"; then
  fail "the plugin build against the moved prefix still refers to the old prefix $prefix"
fi

echo "PASS: ${#sh_blocks[@]} doc shell blocks and $outputs output block(s) as documented; installed prefix checked"
