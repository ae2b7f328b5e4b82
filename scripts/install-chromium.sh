#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium (and python3, which the browser
# test uses to read its results and the screenshot) for tests/report's
# browser test. Does nothing when both are present. Exit 0: ready;
# exit 1: they cannot be installed here (no root/sudo, no package source),
# which the browser test reports as a loud skip.
set -uo pipefail

packages=(chromium python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! sudo -n true 2>/dev/null; then
    echo "install-chromium: not root and no password-less sudo; cannot install ${missing[*]}" >&2
    exit 1
  fi
  as_root=(sudo -n)
fi
echo "install-chromium: installing ${missing[*]}" >&2
if ! "${as_root[@]}" apt-get update -qq >&2; then
  echo "install-chromium: apt-get update failed (no package source reachable?)" >&2
  exit 1
fi
if ! DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
  echo "install-chromium: apt-get install ${missing[*]} failed" >&2
  exit 1
fi
