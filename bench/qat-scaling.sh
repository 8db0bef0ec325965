#!/usr/bin/env bash
# QAT throughput of 2 worker processes x 1 torch thread against 1 worker process x 2 threads, same plan and global batch.
# Both runs are real clusters on loopback (coordinator, worker process(es), calibration process); the figure is the
# QAT epochs' samples/s from each report.json. Target: ratio >= 0.9. Usage: bench/qat-scaling.sh [plan]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

plan="${1:-examples/qat.yaml}"
bin=bin/Release/net10.0/linux-x64
for project in Coordinator GpuWorker CalibrationNode; do dotnet build "src/$project" -c Release -nologo -v quiet >/dev/null; done

work="$(mktemp -d -t qc-scaling.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# run NAME PORT PROCESSES THREADS: one cluster, waits for the coordinator, stops the members.
run() {
    local name=$1 port=$2 processes=$3 threads=$4
    pids=()
    for ((i = 0; i < processes; i++)); do
        dotnet "src/GpuWorker/$bin/QuantCluster.GpuWorker.dll" --seed "127.0.0.1:$port" --devices cpu:0 --threads "$threads" >"$work/$name-worker-$i.log" 2>&1 &
        pids+=($!)
    done
    dotnet "src/CalibrationNode/$bin/QuantCluster.CalibrationNode.dll" --seed "127.0.0.1:$port" >"$work/$name-calibration.log" 2>&1 &
    pids+=($!)
    dotnet "src/Coordinator/$bin/quantcluster.dll" --plan "$plan" --output "$work/$name" --listen "127.0.0.1:$port" \
        --workers "$processes" --calibrators 1 >"$work/$name.log" 2>&1 || { tail -n 30 "$work/$name.log" >&2; exit 1; }
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}

echo "== load before: $(uptime)"
run two-processes 4061 2 1
run one-process 4062 1 2
echo "== load after: $(uptime)"

REPORTS="$work" python3 - <<'PY'
import json, os
def qat(name):
    r = json.load(open(os.path.join(os.environ["REPORTS"], name, "report.json")))
    epochs = [e for e in r["epochs"] if e["phase"] == "qat"]
    samples = sum(e["samples_per_second"] * e["seconds"] for e in epochs)
    seconds = sum(e["seconds"] for e in epochs)
    return samples / seconds, r["accuracy"]["qat"]
two, two_acc = qat("two-processes")
one, one_acc = qat("one-process")
print(f"QAT samples/s: 2 processes x 1 thread {two:.0f}, 1 process x 2 threads {one:.0f}, ratio {two / one:.2f} (target >= 0.9)")
print(f"QAT INT8 accuracy: {two_acc:.4f} vs {one_acc:.4f}")
PY
