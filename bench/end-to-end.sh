#!/usr/bin/env bash
# Times examples/qat.yaml end to end (FP32 training, PTQ, QAT on 2 workers, conversion, report) with the Release build.
# The build happens once, before the clock starts. Target: median under 30 s wall on the 2-core machine.
# Usage: bench/end-to-end.sh [runs]   (default 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs="${1:-3}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [runs]   (runs: a positive integer, default 3)" >&2
    exit 2
fi

plan=examples/qat.yaml
dll=src/Coordinator/bin/Release/net10.0/linux-x64/quantcluster.dll

echo "== building src/Coordinator (Release)"
dotnet build src/Coordinator -c Release -nologo -v quiet >/dev/null
[[ -f "$dll" ]] || { echo "build produced no $dll" >&2; exit 1; }

work="$(mktemp -d -t qc-e2e.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== load before: $(uptime)"
times=()
for ((i = 1; i <= runs; i++)); do
    out="$work/run$i"
    start=$(date +%s.%N)
    if ! dotnet "$dll" --plan "$plan" --output "$out" >"$work/run$i.log" 2>&1; then
        echo "run $i failed; last lines of its output:" >&2
        tail -n 30 "$work/run$i.log" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    times+=("$wall")
    [[ -f "$out/report.json" ]] || { echo "run $i wrote no $out/report.json" >&2; exit 1; }
    # The report's own figures: accuracies and the phases' seconds as the coordinator measured them.
    REPORT="$out/report.json" WALL="$wall" RUN="$i" python3 - <<'PY'
import json, os
r = json.load(open(os.environ["REPORT"]))
acc = r.get("accuracy", {})
sec = r.get("seconds", {})
def pct(v):
    return "n/a" if v is None else f"{100 * v:.2f}%"
phases = ", ".join(f"{k} {v:.1f}s" for k, v in sec.items())
print(f"run {os.environ['RUN']}: wall {os.environ['WALL']} s | accuracy fp32 {pct(acc.get('fp32'))}, "
      f"ptq {pct(acc.get('ptq'))}, qat {pct(acc.get('qat'))} | {phases}")
PY
done
echo "== load after: $(uptime)"

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "wall times (s): ${times[*]}"
echo "median: ${median} s (target < 30 s)"
