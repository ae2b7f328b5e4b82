#!/usr/bin/env bash
# Regenerates the plugin reference in docs/config.md from the built plugins.
# With --check, fails (without writing) when the document is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
nasctl=${NASCTL:-build/bin/nasctl}
doc=docs/config.md
generated=$(NAS_PLUGIN_PATH= "$nasctl" plugins --markdown)
new=$(awk -v gen="$generated" '
  /<!-- BEGIN plugin reference -->/ { print; print gen; skip = 1; next }
  /<!-- END plugin reference -->/ { skip = 0 }
  !skip { print }' "$doc")
if [ "${1:-}" = "--check" ]; then
  if [ "$new" != "$(cat "$doc")" ]; then
    echo "docs/config.md: plugin reference is stale; fix: run scripts/update-docs.sh and commit the result" >&2
    exit 1
  fi
  exit 0
fi
printf '%s\n' "$new" > "$doc"
