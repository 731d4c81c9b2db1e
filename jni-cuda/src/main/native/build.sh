#!/usr/bin/env bash
# Builds libaugurcuda.so with nvcc when nvcc exists; run by Maven (exec-maven-plugin, phase process-classes).
# Usage: build.sh JAVA_HOME HEADER_DIR OUT_DIR
#   JAVA_HOME   for jni.h (Maven passes ${java.home})
#   HEADER_DIR  where javac -h wrote dev_augur_cuda_Native.h
#   OUT_DIR     target/classes/native/linux-x86_64: the jar packages the library from there
# nvcc: $NVCC, else /usr/local/cuda/bin/nvcc, else nvcc on PATH. Without one the build goes on without the library and
# says so (the CUDA backend then reports "no library" and everything runs on the CPU). AUGUR_SKIP_NATIVE=1 skips it.
# The library is rebuilt only when the sources, the JNI header or nvcc change (a content hash), to keep builds fast.
set -euo pipefail
java_home=$1 header_dir=$2 out_dir=$3
src_dir=$(cd "$(dirname "$0")" && pwd)
lib=$out_dir/libaugurcuda.so
say() { echo "[jni-cuda] $*"; }

if [[ ${AUGUR_SKIP_NATIVE:-0} == 1 ]]; then
  say "AUGUR_SKIP_NATIVE=1: building without the CUDA library (scoring will run on the CPU)"
  exit 0
fi
nvcc=${NVCC:-}
if [[ -z $nvcc && -x /usr/local/cuda/bin/nvcc ]]; then nvcc=/usr/local/cuda/bin/nvcc; fi
if [[ -z $nvcc ]]; then nvcc=$(command -v nvcc || true); fi
if [[ -z $nvcc ]]; then
  say "nvcc not found (not in \$NVCC, /usr/local/cuda/bin or PATH): building without the CUDA library; scoring will run on the CPU"
  exit 0
fi

header=$header_dir/dev_augur_cuda_Native.h
[[ -f $header ]] || { say "missing $header (javac -h should have written it)"; exit 1; }
# javac -h rewrites the header on every Java compile, so compare contents, not times
stamp_file=$header_dir/libaugurcuda.stamp
stamp=$( { cat "$src_dir"/*.cu "$src_dir"/*.cuh "$src_dir"/build.sh "$header"; "$nvcc" --version; } | sha256sum | cut -c1-64)
if [[ -f $lib && -f $stamp_file && $(cat "$stamp_file") == "$stamp" ]]; then
  say "libaugurcuda.so is up to date"
  exit 0
fi

mkdir -p "$out_dir"
# sm_90 machine code for H100/H200 plus compute_90 PTX that newer GPUs JIT-compile; the runtime linked statically so
# the library loads on machines without CUDA (it then reports cudaGetDeviceCount's error and Augur uses the CPU).
flags=(-O3 -std=c++17 -gencode "arch=compute_90,code=[sm_90,compute_90]" -cudart static
       -Xcompiler -fPIC,-fvisibility=hidden,-Wall -shared
       -I"$java_home/include" -I"$java_home/include/linux" -I"$header_dir" -I"$src_dir")
say "compiling libaugurcuda.so with $nvcc"
start=$(date +%s)
"$nvcc" "${flags[@]}" -o "$lib.tmp" "$src_dir/augur_cuda.cu"
mv -f "$lib.tmp" "$lib"
echo "$stamp" > "$stamp_file"
say "built $lib ($(( $(stat -c %s "$lib") / 1024 )) KiB) in $(( $(date +%s) - start )) s"
