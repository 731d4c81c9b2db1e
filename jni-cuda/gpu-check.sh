#!/usr/bin/env bash
# GPU check of the CUDA backend: run from the project root on a machine with a CUDA GPU, in one call, under 5 minutes.
#
# Prepare on the build machine (it has nvcc; no GPU needed), from the project root:
#
#   mvn -q -o install -pl engine,jni-cuda -DskipTests
#   rm -rf .gpu/lib && mvn -q -o dependency:copy-dependencies -pl jni-cuda -DincludeScope=runtime -DoutputDirectory="$PWD/.gpu/lib"
#   cp jni-cuda/target/augur-jni-cuda-*.jar .gpu/lib/
#   unzip -l .gpu/lib/augur-jni-cuda-*.jar | grep -q native/linux-x86_64/libaugurcuda.so   # the jar carries the library
#   [ -x .gpu/jre/bin/java ] || ../shared/device/make-jre.sh .gpu/jre
#
# (.gpu/ is in .gitignore; it holds ~45 MB: the runtime and 4 jars.) Then run it on the GPU machine with the device
# tool: command `bash jni-cuda/gpu-check.sh`, carry [".gpu"], timeout_s 330. The GPU machine needs nothing else: no
# Java, no Maven; python3 with torch is used when present for the comparison columns and skipped (said so) when not.
#
# What it prints, in order: PyTorch's timings on the same shapes (written to $OUT/torch.tsv), then GpuCheck
# (dev.augur.cuda.GpuCheck): correctness of every kernel against a float64 CPU reference on fresh random inputs, memory
# returning to where it was after many create/free cycles, kernel throughput against the device's measured copy
# bandwidth and PyTorch, a refresh through Java, and last the summary table. The full log is also kept in
# $OUT/gpu-check.txt. Exit status: 0 all checks passed (throughput targets are reported, not enforced), 1 a check
# failed, 2 no usable device or a missing file.
#
# Arguments are passed to GpuCheck: `bash jni-cuda/gpu-check.sh --simulated --small` runs the same script here without
# a GPU (simulated device, small shapes, no PyTorch) to check the plumbing; its timings mean nothing.
set -uo pipefail
cd "$(dirname "$0")/.."

java=.gpu/jre/bin/java
jar=$(ls .gpu/lib/augur-jni-cuda-*.jar 2>/dev/null | head -1)
if [[ ! -x $java || -z $jar ]]; then
  echo "gpu-check: missing .gpu/jre/bin/java or .gpu/lib/augur-jni-cuda-*.jar; run the preparation steps in $0 first"
  exit 2
fi
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv,noheader 2>&1 | head -4
echo "CPUs: $(nproc), memory: $(free -g | awk '/Mem:/ {print $2}') GiB, output folder: $out"

echo
echo "== PyTorch on the same shapes (kernel time, CUDA events, median of 20)"
torch_file=$out/torch.tsv
if [[ " $* " == *" --simulated "* ]]; then
  echo "# skipped: simulated run" > "$torch_file"
  echo "skipped (simulated run)"
else
timeout 100 python3 - "$torch_file" <<'PY'
import sys
out = sys.argv[1]
lines = []
def flush():
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
try:
    import torch
    if not torch.cuda.is_available():
        raise RuntimeError("torch.cuda.is_available() is False")
except Exception as e:
    lines.append(f"# unavailable: {type(e).__name__}: {e}")
    flush()
    print(lines[0])
    sys.exit(0)

dev = torch.device("cuda")
lines.append(f"# torch {torch.__version__} on {torch.cuda.get_device_name(0)}, float32")
flush()
print(lines[0])

def timeit(fn, reps=20):
    fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    times.sort()
    return (times[len(times) // 2] + times[(len(times) - 1) // 2]) / 2

def record(key, fn):
    try:
        ms = timeit(fn)
        lines.append(f"{key}\t{ms:.6f}")
        print(f"{key:16s} {ms:10.3f} ms")
    except Exception as e:  # one shape failing must not hide the others
        print(f"{key:16s} failed: {type(e).__name__}: {e}")
    flush()

GIB = 1 << 30
x = torch.empty(GIB // 4, device=dev)
y = torch.empty_like(x)
record("copy", lambda: y.copy_(x))
del x, y

for d in (8, 32, 128, 512):
    rows = GIB // (4 * d)
    X = torch.rand(rows, d, device=dev) * 2 - 1
    w = torch.randn(d, device=dev)
    b = torch.randn((), device=dev)
    record(f"dense-{d}", lambda: torch.sigmoid(X @ w + b))
    if d == 128:
        W = torch.randn(10, d, device=dev)
        bb = torch.randn(10, device=dev)
        record("softmax-128x10", lambda: torch.softmax(X @ W.T + bb, dim=1))
        W = torch.randn(64, d, device=dev)
        bb = torch.randn(64, device=dev)
        def members():
            p = torch.sigmoid(X @ W.T + bb)
            return p.mean(1), p.std(1, unbiased=False)
        record("ensemble-128x64", members)
    if d in (32, 128):
        for pct in (1, 10, 100):
            n = rows * pct // 100
            idx = torch.randperm(rows, device=dev)[:n].sort().values
            record(f"band-{d}-{pct}", lambda: torch.sigmoid(X.index_select(0, idx) @ w + b))
    del X
    torch.cuda.empty_cache()

rows, terms, dim = 4 << 20, 20, 1 << 17
crow = torch.arange(0, rows * terms + 1, terms, device=dev, dtype=torch.int32)
col = torch.randint(0, dim, (rows * terms,), device=dev, dtype=torch.int32)
val = torch.rand(rows * terms, device=dev) * 2 - 1
S = torch.sparse_csr_tensor(crow, col, val, size=(rows, dim))
w = torch.randn(dim, device=dev)
b = torch.randn((), device=dev)
try:
    S @ w
    record("sparse", lambda: torch.sigmoid(S @ w + b))
except Exception:
    record("sparse", lambda: torch.sigmoid(torch.mv(S, w) + b))
PY
torch_rc=$?
if [[ $torch_rc -ne 0 ]]; then
  echo "# the PyTorch run stopped early (exit $torch_rc): shapes without a time say n/a" >> "$torch_file"
  echo "PyTorch run stopped early (exit $torch_rc); shapes without a time say n/a"
fi
fi

echo
timeout 195 "$java" -Xmx32g -XX:MaxDirectMemorySize=16g -cp ".gpu/lib/*" dev.augur.cuda.GpuCheck --torch "$torch_file" "$@" 2>&1 \
  | tee "$out/gpu-check.txt"
rc=${PIPESTATUS[0]}
[[ $rc -eq 124 ]] && echo "gpu-check: GpuCheck timed out after 195 s"
exit "$rc"
