#!/usr/bin/env bash
# Shows that calibration memory is O(bins), not O(samples): one calibration shard (min/max pass, histogram pass, clip
# search; LeNet, symmetric int8, 2048 bins) on N samples and on 10N samples, each in its own process, and the ratio of
# their peak working set, peak GC heap and of what calibration keeps (live heap after a full collection, less the
# baseline before calibrating), measured in one run. The 8,000 training digits are reused in order for the
# samples (10N = every digit 10 times), so the data in memory is the same in both processes.
# Usage: bench/calibration-memory.sh [N] [entropy|percentile|mse]   (default 8000 entropy)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

n="${1:-8000}"
method="${2:-entropy}"
dll=bench/CalibrationMemory/bin/Release/net10.0/linux-x64/calibration-memory.dll

echo "== building bench/CalibrationMemory (Release)"
dotnet build bench/CalibrationMemory -c Release -nologo -v quiet >/dev/null

work="$(mktemp -d -t qc-calib-memory.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== load before: $(uptime)"
for samples in "$n" "$((10 * n))"; do
    dotnet "$dll" --samples "$samples" --method "$method" | tee "$work/$samples.txt"
done
echo "== load after: $(uptime)"

field() { awk -v key="$2" '{ for (i = 1; i < NF; i++) if ($i == key) print $(i + 1) }' "$1"; }
echo
printf '%-8s %8s %10s %22s %18s %12s %9s\n' samples seconds samples/s "peak working set (MB)" "peak GC heap (MB)" "kept (KB)" "gen2 GCs"
for samples in "$n" "$((10 * n))"; do
    f="$work/$samples.txt"
    awk -v s="$samples" -v t="$(field "$f" seconds)" -v ws="$(field "$f" peak_working_set)" -v gc="$(field "$f" peak_gc_heap)" \
        -v kept="$(field "$f" retained)" -v g2="$(field "$f" gen2_collections)" \
        'BEGIN { printf "%-8d %8.2f %10.0f %22.1f %18.1f %12.1f %9d\n", s, t, s / t, ws / 1e6, gc / 1e6, kept / 1e3, g2 }'
done
small="$work/$n.txt" large="$work/$((10 * n)).txt"
awk -v n="$n" -v ws1="$(field "$small" peak_working_set)" -v ws10="$(field "$large" peak_working_set)" \
    -v gc1="$(field "$small" peak_gc_heap)" -v gc10="$(field "$large" peak_gc_heap)" \
    -v kept1="$(field "$small" retained)" -v kept10="$(field "$large" retained)" -v hist="$(field "$small" histogram_bytes)" 'BEGIN {
    printf "10N / N: peak working set %.3f, peak GC heap %.3f, kept %.3f\n", ws10 / ws1, gc10 / gc1, kept10 / kept1
    printf "per extra sample: peak working set %+.1f bytes, peak GC heap %+.1f bytes; the histograms alone are %.1f KB\n", \
        (ws10 - ws1) / (9 * n), (gc10 - gc1) / (9 * n), hist / 1e3
}'
