#!/usr/bin/env bash
# The report in a real browser: Debian's Chromium, headless, loads the
# report.html of a real search and must have drawn every plot and every
# point (non-empty boxes, the stylesheet's colours applied), kept each
# point's tooltip, sorted the front table on a click, and painted the
# run's colour into a screenshot (kept as OUT/report.png for people).
# Skipped loudly (exit 77, CTest's SKIP_RETURN_CODE) only where Chromium
# cannot be installed. Usage: browser_test.sh NASCTL SOURCE_DIR OUT_DIR
set -euo pipefail
nasctl=$1
source_dir=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)

if ! bash "$source_dir/scripts/install-chromium.sh"; then
  echo "SKIPPED: Chromium cannot be installed on this machine (see above): the report was NOT checked in a browser" >&2
  exit 77
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIPPED: the chromium package is installed but no chromium binary is on PATH: the report was NOT checked in a browser" >&2
  exit 77
fi

rm -rf "$out"
mkdir -p "$out"
# The OFA MobileNetV3 space, analytic costs, random search, a parameter
# limit: feasible and infeasible points, a front, a constraint line.
cat > "$out/cfg.toml" <<'TOML'
seed = 11
[space]
plugin = "ofa-mobilenetv3"
[search]
plugin = "random"
batch = 10
[budget]
evaluations = 60
[[hardware]]
name = "cost"
plugin = "analytic"
[[objectives]]
metric = "cost.macs"
goal = "min"
[[objectives]]
metric = "cost.params"
goal = "max"
[[constraints]]
metric = "cost.params"
max = 5.0e6
TOML
NAS_PLUGIN_PATH= "$nasctl" search -c "$out/cfg.toml" -o "$out/run" --no-progress > "$out/search.txt"

# A copy of the report with a probe appended: it measures what the browser
# drew and clicks the table, then leaves its findings in the DOM.
python3 "$here/browser_probe.py" inject "$out/run/report.html" "$out/probe.html"
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --hide-scrollbars
       --user-data-dir="$out/profile")
timeout 180 "$browser" "${flags[@]}" --dump-dom "file://$out/probe.html" > "$out/dom.html" 2> "$out/chromium-dom.log"
timeout 180 "$browser" "${flags[@]}" --window-size=1280,1400 --screenshot="$out/report.png" \
  "file://$out/run/report.html" > /dev/null 2> "$out/chromium-screenshot.log"
python3 "$here/browser_probe.py" check "$out/dom.html" "$out/run" "$out/report.png"
