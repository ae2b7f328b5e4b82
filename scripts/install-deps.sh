#!/usr/bin/env bash
# Installs nasctl's build, run and test dependencies from Debian 12's packages.
# Skips apt entirely when everything is already there (CI re-runs cheaply).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev libopenblas0-pthread        # LibTorch; OpenBLAS makes its CPU convolutions 5-8x faster
  libboost-dev libboost-filesystem-dev     # Boost.DLL (plugin loading), Boost.Asio (thread pool)
  libtomlplusplus-dev libspdlog-dev libcli11-dev nlohmann-json3-dev libcsv-dev
  doctest-dev libbenchmark-dev libpagmo-dev  # tests, benchmarks, pagmo2 as a test oracle
  libonnx-dev                              # ONNX export (optional at build time; nasctl builds without it)
  libopenmpi-dev openmpi-bin               # distributed search, mpirun nasctl search (optional at build time: NASCTL_MPI)
  zlib1g-dev libpng-dev libjpeg-dev        # datasets: gzip idx files, PNG and JPEG (libjpeg-turbo) decoding (sdk/toolkits/datasets)
  libssl-dev                               # OpenSSL's libcrypto: SHA-256 of checkpoints for run.json
  libmuparser-dev                          # muParser: expressions of the declarative space (plugin skipped without it)
  dataset-fashion-mnist                    # Fashion-MNIST's idx files in /usr/share/datasets/fashion-mnist
  clang libclang-rt-dev                    # libFuzzer and the sanitizers' runtimes: scripts/fuzz.sh, which test.sh runs
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo (missing: ${missing[*]})" >&2; exit 1; }
  as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
