#!/usr/bin/env bash
# Calibration throughput (samples/s) of the embedded cluster with 1 and with 2 calibration actors: the PTQ job's two
# passes (min/max, then 2048-bin histograms; LeNet, symmetric int8) over the 8,000 training digits in 4 shards, one
# torch thread. Each configuration runs in its own process, twice, interleaved (1, 2, 1, 2) so both see the same load;
# the figure is the median over the timed rounds, and the ratio 2 actors / 1 actor is measured in this one run.
# Usage: bench/calibration-throughput.sh [samples] [rounds per process]   (default 8000 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

samples="${1:-8000}"
rounds="${2:-3}"
dll=bench/CalibrationThroughput/bin/Release/net10.0/linux-x64/calibration-throughput.dll

echo "== building bench/CalibrationThroughput (Release)"
dotnet build bench/CalibrationThroughput -c Release -nologo -v quiet >/dev/null

work="$(mktemp -d -t qc-calib-throughput.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== load before: $(uptime)"
for actors in 1 2 1 2; do
    # Akka's own log lines go to stdout too; only the benchmark's rows are kept.
    dotnet "$dll" --actors "$actors" --samples "$samples" --rounds "$rounds" | grep '^actors ' | tee -a "$work/$actors.txt"
done
echo "== load after: $(uptime)"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
column() { awk -v key="$2" '{ for (i = 1; i < NF; i++) if ($i == key) print $(i + 1) }' "$1" | median; }
one=$(column "$work/1.txt" samples/s) two=$(column "$work/2.txt" samples/s)
echo
printf '%-7s %18s %14s\n' actors "samples/s (median)" "CPU s / wall s"
printf '%-7d %18.0f %14.2f\n' 1 "$one" "$(column "$work/1.txt" cpu_per_wall)"
printf '%-7d %18.0f %14.2f\n' 2 "$two" "$(column "$work/2.txt" cpu_per_wall)"
awk -v a="$one" -v b="$two" 'BEGIN { printf "2 actors / 1 actor: %.2fx\n", b / a }'
