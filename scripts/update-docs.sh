#!/usr/bin/env bash
# Regenerates the generated parts of docs/config.md: the reference of
# nasctl's own keys (`nasctl defaults --markdown`) and the plugin reference
# (`nasctl plugins --markdown`), both from the declarations the config is
# validated against. With --check, fails (without writing) when the document
# is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
nasctl=${NASCTL:-build/bin/nasctl}
doc=docs/config.md
core=$("$nasctl" defaults --markdown)
plugins=$(NAS_PLUGIN_PATH= "$nasctl" plugins --markdown)
# Replaces the lines between <!-- BEGIN name --> and <!-- END name -->.
replace_block() {
  awk -v name="$1" -v gen="$2" '
    $0 == "<!-- BEGIN " name " -->" { print; print gen; skip = 1; next }
    $0 == "<!-- END " name " -->" { skip = 0 }
    !skip { print }'
}
new=$(replace_block "core reference" "$core" < "$doc" | replace_block "plugin reference" "$plugins")
if [ "${1:-}" = "--check" ]; then
  if [ "$new" != "$(cat "$doc")" ]; then
    echo "docs/config.md: the generated key reference is stale; fix: run scripts/update-docs.sh and commit the result" >&2
    exit 1
  fi
  exit 0
fi
printf '%s\n' "$new" > "$doc"
