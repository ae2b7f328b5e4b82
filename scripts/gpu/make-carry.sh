#!/usr/bin/env bash
# Prepares .carry/ (git-ignored) for a GPU machine without a package
# registry: the header-only libraries nasctl needs (TOML++, CLI11,
# nlohmann-json), libcsv, OpenSSL's libcrypto (the supernet source's
# checkpoint digest) and Google Benchmark (for bench/torch/run_gpu.sh),
# and ONNX with its protobuf in .carry-onnx, copied from this Debian
# machine's packages; and Fashion-MNIST, xz-packed, in .gpu-data-xz.
# The GPU scripts configure with -DNASCTL_EXTRA_PREFIX=$PWD/.carry.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .carry/include .carry/lib
cp -r /usr/include/toml++ /usr/include/CLI /usr/include/nlohmann /usr/include/csv.h .carry/include/
cp -P /usr/lib/x86_64-linux-gnu/libcsv.so* .carry/lib/
# OpenSSL: Debian keeps the configuration headers in the multiarch folder.
cp -r /usr/include/openssl .carry/include/
cp /usr/include/x86_64-linux-gnu/openssl/*.h .carry/include/openssl/
cp -P /usr/lib/x86_64-linux-gnu/libcrypto.so* .carry/lib/
mkdir -p .carry/lib/x86_64-linux-gnu/cmake
cp -r /usr/include/benchmark .carry/include/
cp -P /usr/lib/x86_64-linux-gnu/libbenchmark* .carry/lib/x86_64-linux-gnu/
cp -r /usr/lib/x86_64-linux-gnu/cmake/benchmark .carry/lib/x86_64-linux-gnu/cmake/
du -sh .carry
# ONNX export, in a prefix of its own (.carry-onnx: add it to
# CMAKE_PREFIX_PATH) so that a call that does not need it carries less:
# Debian's libonnx (1.12) with its CMake package and the protobuf (3.21) it
# was built against, headers and libraries together, so `nasctl export -o
# m.onnx` works there too (bench/spaces/onnx_runtime_check.sh runs the
# result in ONNX Runtime, which the GPU machine's python3 has).
onnx=.carry-onnx
mkdir -p $onnx/include/google $onnx/lib/x86_64-linux-gnu/cmake
cp -r /usr/include/onnx $onnx/include/
cp -r /usr/include/google/protobuf $onnx/include/google/
cp -P /usr/lib/x86_64-linux-gnu/libonnx.so* /usr/lib/x86_64-linux-gnu/libonnx_proto.so* \
  /usr/lib/x86_64-linux-gnu/libonnxifi_dummy.so /usr/lib/x86_64-linux-gnu/libonnxifi_loader.a \
  /usr/lib/x86_64-linux-gnu/libprotobuf.so /usr/lib/x86_64-linux-gnu/libprotobuf.so.32* $onnx/lib/x86_64-linux-gnu/
cp /usr/lib/libonnxifi.so $onnx/lib/
cp -r /usr/lib/x86_64-linux-gnu/cmake/ONNX $onnx/lib/x86_64-linux-gnu/cmake/
du -sh $onnx
# Fashion-MNIST for the GPU machine (it has no Debian package), xz-packed so
# that a call carrying it with .carry and the once-for-all tarball stays
# under the 64 MiB a call may carry; scripts/gpu/unpack-fashion-mnist.sh
# turns it back into the gzip files there.
fm=/usr/share/datasets/fashion-mnist
if [ -d $fm ]; then
  mkdir -p .gpu-data-xz
  for f in train-images-idx3-ubyte t10k-images-idx3-ubyte; do
    [ -f .gpu-data-xz/$f.xz ] || zcat $fm/$f.gz | xz -9e -T2 > .gpu-data-xz/$f.xz
  done
  cp $fm/*labels-idx1-ubyte.gz .gpu-data-xz/
  du -sh .gpu-data-xz
fi
