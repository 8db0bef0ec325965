#!/usr/bin/env bash
# The default plan against the plain PyTorch script a user would write instead (bench/pytorch_qat_plan.py: the same
# LeNet, digits, epochs, batches, PTQ and QAT), alternated in one run so both see the same machine. Each side runs as a
# fresh process every time (some process-wide costs, such as glibc's malloc thresholds, are decided per process).
# Prints wall, CPU (user + sys), sys and peak resident memory per run, the medians and ours / PyTorch.
# Targets (issue "As fast as a plain PyTorch script"): wall <= 1.0x, CPU <= 1.2x, peak memory <= 1.5x.
# Installs nothing. Usage: bench/vs-pytorch.sh [rounds] [pytorch threads]   (default 3 rounds, 2 threads)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds="${1:-3}"
threads="${2:-2}"
source bench/pytorch-peer.sh
[[ -x /usr/bin/time ]] || { echo "GNU time is missing. Install it with: apt-get install -y time" >&2; exit 1; }

plan=examples/qat.yaml
dll=src/Coordinator/bin/Release/net10.0/linux-x64/quantcluster.dll
echo "== building src/Coordinator (Release)"
dotnet build src/Coordinator -c Release -nologo -v quiet >/dev/null

work="$(mktemp -d -t qc-vs-pytorch.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# One measured run: wall s, user s, sys s, peak RSS KiB, appended to $1 as one line.
measure() {
    local table="$1" log="$2"; shift 2
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$log" 2>&1 || { echo "failed: $*; last lines:" >&2; tail -n 20 "$log" >&2; exit 1; }
    cat "$work/time" >>"$table"
}

echo "== load before: $(uptime)"
# A warm-up of each, untimed: the first run after a build pays for disk caches and the JIT's first touch.
dotnet "$dll" --plan "$plan" --output "$work/warm" >/dev/null 2>&1
for ((i = 1; i <= rounds; i++)); do
    measure "$work/ours" "$work/ours$i.log" dotnet "$dll" --plan "$plan" --output "$work/ours$i"
    measure "$work/pytorch" "$work/pytorch$i.log" "$python" bench/pytorch_qat_plan.py --threads "$threads"
    echo "round $i: ours $(tail -n 1 "$work/ours" | awk '{ printf "%.1f s wall", $1 }'), PyTorch $(tail -n 1 "$work/pytorch" | awk '{ printf "%.1f s wall", $1 }'); $(cat "$work/pytorch$i.log")"
    grep -o 'Done: .*;' "$work/ours$i.log" | head -n 1 || true
done
echo "== load after: $(uptime)"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -v c="$2" '{ if (c == "cpu") print $2 + $3; else if (c == "mb") print $4 / 1024; else print $c }' "$1" | median; }
echo
printf '%-22s %12s %12s %14s\n' "whole process (median)" ours PyTorch "ours/PyTorch"
for what in wall cpu sys mb; do
    case $what in wall) c=1 label="wall (s)";; cpu) c=cpu label="CPU user+sys (s)";; sys) c=3 label="sys (s)";; mb) c=mb label="peak RSS (MB)";; esac
    o=$(column_median "$work/ours" "$c"); p=$(column_median "$work/pytorch" "$c")
    awk -v l="$label" -v o="$o" -v p="$p" 'BEGIN { printf "%-22s %12.1f %12.1f %13.2fx\n", l, o, p, (p > 0 ? o / p : 0) }'
done
