#!/usr/bin/env bash
# Calibration throughput (samples/s) of the embedded cluster with 1 and with 2 calibration actors: the PTQ job's two
# passes (min/max, then 2048-bin histograms; LeNet, symmetric int8) over the 8,000 training digits in 4 shards, one
# torch thread. Each configuration runs in its own process, twice, interleaved (1, 2, 1, 2) so both see the same load;
# the figures are medians over the timed rounds, and the ratios 2 actors / 1 actor are measured in this one run.
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
# Samples per CPU second hardly depend on how much of the machine others leave us: their ratio is the cost of running
# two actors side by side, the samples/s ratio what that bought on the cores this run actually got.
per_cpu() { awk '{ for (i = 1; i < NF; i++) { if ($i == "samples/s") r = $(i + 1); if ($i == "cpu_per_wall") c = $(i + 1) } print r / c }' "$1" | median; }
one=$(column "$work/1.txt" samples/s) two=$(column "$work/2.txt" samples/s)
one_cpu=$(per_cpu "$work/1.txt") two_cpu=$(per_cpu "$work/2.txt")
echo
printf '%-7s %18s %14s %22s\n' actors "samples/s (median)" "CPU s / wall s" "samples per CPU second"
printf '%-7d %18.0f %14.2f %22.0f\n' 1 "$one" "$(column "$work/1.txt" cpu_per_wall)" "$one_cpu"
printf '%-7d %18.0f %14.2f %22.0f\n' 2 "$two" "$(column "$work/2.txt" cpu_per_wall)" "$two_cpu"
awk -v a="$one" -v b="$two" -v ac="$one_cpu" -v bc="$two_cpu" \
    'BEGIN { printf "2 actors / 1 actor: %.2fx samples/s, %.2fx samples per CPU second\n", b / a, bc / ac }'
