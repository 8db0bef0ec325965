#!/usr/bin/env bash
# Training throughput of one LeNet replica, ours (ReplicaTrainer) against PyTorch eager, FP32 and QAT, in the same run so
# both see the same machine load. 1 torch thread each, batch 64, Adam, shipped MNIST data. Target: ours >= 0.7x PyTorch.
# Each side runs as several fresh processes, alternated: some costs are decided once per process (glibc's malloc
# thresholds made about three processes in four train FP32 3-4x slower before src/Quantization/NativeHeap.cs), so one
# process proves nothing. The ratio is of the medians.
# Installs nothing. Usage: bench/training-throughput.sh [timed epochs] [processes]   (default 2 epochs, 3 processes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

epochs="${1:-2}"
processes="${2:-3}"
source bench/pytorch-peer.sh

echo "== building bench/TrainingThroughput (Release)"
dotnet build bench/TrainingThroughput -c Release -nologo -v quiet >/dev/null

work="$(mktemp -d -t qc-throughput.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== load before: $(uptime)"
for ((i = 1; i <= processes; i++)); do
    dotnet bench/TrainingThroughput/bin/Release/net10.0/linux-x64/training-throughput.dll --epochs "$epochs" | tee -a "$work/ours.txt"
    "$python" bench/pytorch_lenet.py --epochs "$epochs" | tee -a "$work/pytorch.txt"
done
echo "== load after: $(uptime)"

# The median over the processes of one mode's samples/s.
rate() { awk -v mode="$2" '$1 == mode && $2 == "samples/s" { print $3 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ours_fp32=$(rate "$work/ours.txt" fp32)
ours_qat=$(rate "$work/ours.txt" qat)
torch_fp32=$(rate "$work/pytorch.txt" fp32)
torch_qat=$(rate "$work/pytorch.txt" qat)

echo
printf '%-6s %14s %14s %14s\n' mode "ours (s/s)" "PyTorch (s/s)" "ours/PyTorch"
for mode in fp32 qat; do
    if [[ $mode == fp32 ]]; then o=$ours_fp32 p=$torch_fp32; else o=$ours_qat p=$torch_qat; fi
    awk -v m="$mode" -v o="$o" -v p="$p" 'BEGIN { printf "%-6s %14d %14d %13.2fx%s\n", m, o, p, o / p, (o / p >= 0.7 ? "" : "  (below the 0.7x target)") }'
done
echo "(medians of $processes processes each; every process's figures are above)"
