#!/usr/bin/env bash
# The dependency rule of docs/architecture.md, checked on the tree and the
# built binary: plugins -> sdk (contracts and toolkits), core -> sdk, nothing
# else; the nasctl program links no LibTorch.
#   bash scripts/check-layers.sh [path/to/nasctl]
set -euo pipefail
cd "$(dirname "$0")/.."
nasctl=${1:-build/bin/nasctl}
failed=0
complain() { echo "check-layers: $*" >&2; failed=1; }

# What "nasctl/<x>" may name from a plugin or a toolkit: an SDK header or a
# toolkit's folder.
allowed=()
for f in sdk/include/nasctl/*.hpp; do allowed+=("$(basename "$f")"); done
for d in sdk/toolkits/*/; do allowed+=("$(basename "$d")"); done
is_allowed() {
  local first=$1 a
  for a in "${allowed[@]}"; do [ "$a" = "$first" ] && return 0; done
  return 1
}

# Plugins include their own folder's headers, the SDK and toolkits; never
# core's internals (runtime, cli) or another plugin's files.
check_includes() {
  local file=$1 include first
  while IFS= read -r include; do
    case "$include" in
      nasctl/*)
        first=${include#nasctl/}
        first=${first%%/*}
        is_allowed "$first" || complain "$file includes \"$include\": neither an SDK header nor a toolkit; fix: use the SDK, or move what it needs into a toolkit (sdk/toolkits/)"
        ;;
      */*) complain "$file includes \"$include\" outside its own folder; fix: include SDK or toolkit headers as \"nasctl/...\"" ;;
    esac
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
}
while IFS= read -r f; do check_includes "$f"; done < <(find plugins sdk/toolkits -name '*.cpp' -o -name '*.hpp' | sort)

# The SDK's contracts stand alone: no toolkit, no core.
while IFS= read -r f; do
  if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*"nasctl/(runtime|cli|moo|predict|torch|evolve|lut|onnx|datasets|supernet)/' "$f"; then
    complain "$f (an SDK contract) includes core or a toolkit; fix: keep sdk/include free of them"
  fi
done < <(find sdk/include sdk/src -name '*.cpp' -o -name '*.hpp' | sort)

# The program itself: no LibTorch among the libraries it loads at start.
if [ -x "$nasctl" ]; then
  if ldd "$nasctl" | grep -Eq 'libtorch|libc10'; then
    complain "$nasctl loads LibTorch at start ($(ldd "$nasctl" | grep -Eo 'lib(torch|c10)[^ ]*' | sort -u | tr '\n' ' ')); fix: move the command that needs it into nasctl-commands-torch"
  fi
else
  complain "$nasctl: not built; fix: build first (scripts/build.sh) or pass the binary"
fi

[ $failed -eq 0 ] && echo "check-layers: ok (plugins and toolkits include only the SDK and toolkits; $nasctl links no LibTorch)"
exit $failed
