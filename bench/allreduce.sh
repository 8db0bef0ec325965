#!/usr/bin/env bash
# All-reduce microbenchmark on loopback: our ring (bench/AllReduce) with 2 and 4 worker processes, over shared memory
# (what workers on one host use by default) and over TCP (what they use between hosts), raw one-way TCP between
# two processes, and PyTorch's gloo all_reduce (2 and 4 processes x 1 thread) when Debian's python3-torch is installed,
# all in the same run so they see the same load. Sizes: 4 MB and 40 MB of float32 (MB = 10^6 bytes); median of N timed
# all-reduces after warm-ups that move 2 GB per size (at least 3),
# so .NET's tiered JIT has finished optimizing the ring's code as it has in a long training job. Target at 40 MB, 2 processes: ring >= 50% of raw TCP and >= gloo.
# "CPU ms" is rank 0's process CPU time per all-reduce ("of it CRC": CRC-32 over the bytes the TCP ring checks, timed alone), a figure that load on the machine distorts far less than wall time.
# Installs nothing. Usage: bench/allreduce.sh [iterations]   (default 20)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

iterations="${1:-20}"
python=/usr/bin/python3   # Debian's python3-torch; a pyenv python3 on PATH cannot see it

echo "== building bench/AllReduce (Release)"
dotnet build bench/AllReduce -c Release -nologo -v quiet >/dev/null
bench=(dotnet bench/AllReduce/bin/Release/net10.0/allreduce-bench.dll)

work="$(mktemp -d -t qc-allreduce.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Free loopback ports chosen by the kernel, so parallel runs and other services do not collide.
free_ports() {
    "$python" - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# Runs one command per rank in the background, waits for all, fails if any failed; rank 0's output is kept.
run_ranks() {
    local name="$1" world="$2"; shift 2
    local rank_pids=()
    for ((rank = 0; rank < world; rank++)); do
        "$@" "$rank" >"$work/$name.$rank.out" 2>"$work/$name.$rank.err" &
        rank_pids+=("$!"); pids+=("$!")
    done
    local failed=0
    for pid in "${rank_pids[@]}"; do wait "$pid" || failed=1; done
    if ((failed)); then
        echo "$name failed:" >&2; cat "$work/$name".*.err >&2; exit 1
    fi
    grep -E '^(result|crc)' "$work/$name.0.out" | tee -a "$work/results"
}

ring_rank() { "${bench[@]}" ring --peers "$peers" --iterations "$iterations" --mb 4,40 --transport "$transport" --rank "$1"; }
gloo_rank() { "$python" bench/gloo_allreduce.py --world "$world" --port "$port" --iterations "$iterations" --mb 4,40 --rank "$1"; }
tcp_end() {
    if [[ $1 == 0 ]]; then "${bench[@]}" tcp-source --connect "127.0.0.1:$port" --iterations "$iterations" --mb 4,40
    else "${bench[@]}" tcp-sink --listen "127.0.0.1:$port"; fi
}

have_torch=0
if "$python" -c 'import torch.distributed' 2>/dev/null; then have_torch=1; else
    echo "== PyTorch is missing for $python, skipping gloo (apt-get install -y python3-torch)"; fi

echo "== load before: $(uptime)"
: >"$work/results"
port=$(free_ports 1); run_ranks tcp 2 tcp_end
for world in 2 4; do
    peers=$(free_ports "$world" | tr ' ' '\n' | sed 's/^/127.0.0.1:/' | paste -sd,)
    for transport in shm tcp; do run_ranks "ring-$transport$world" "$world" ring_rank; done
    if ((have_torch)); then port=$(free_ports 1); run_ranks "gloo$world" "$world" gloo_rank; fi
done
echo "== load after: $(uptime)"

echo
awk '
    $1 == "crc" { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }; crc[f["world"] "," f["mb"]] = f["crc_cpu_ms"]; next }
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      k = f["impl"] "," f["world"] "," f["mb"]; bw[k] = f["gbps"]; cpu[k] = f["cpu_ms"]
      if (f["impl"] == "tcp") tcp[f["mb"]] = f["gbps"] }
    function ratio(a, b) { return (a == "" || b == "") ? "-" : sprintf("%.0f%%", 100 * a / b) }
    function times(a, b) { return (a == "" || b == "") ? "-" : sprintf("%.2fx", a / b) }
    function or_dash(a) { return a == "" ? "-" : a }
    END {
      printf "%-6s %-4s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "procs", "MB", "shm GB/s", "tcp GB/s", "gloo GB/s", "raw TCP", "shm/TCP", "tcp/TCP", "shm/gloo", "shm CPU", "tcp CPU", "of it CRC", "gloo CPU"
      split("2 4", worlds, " "); split("4 40", sizes, " ")
      for (w = 1; w <= 2; w++) for (s = 1; s <= 2; s++) {
        k = worlds[w] "," sizes[s]; m = bw["ring-shm," k]; r = bw["ring-tcp," k]; g = bw["gloo," k]; t = tcp[sizes[s]]
        printf "%-6s %-4s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", worlds[w], sizes[s], m, r, or_dash(g), t, ratio(m, t), ratio(r, t),
               times(m, g), cpu["ring-shm," k], cpu["ring-tcp," k], crc[k], or_dash(cpu["gloo," k])
      }
      m = bw["ring-shm,2,40"]; r = bw["ring-tcp,2,40"]; g = bw["gloo,2,40"]; t = tcp[40]
      printf "\ntarget at 40 MB, 2 processes (one host, so shared memory): ring/TCP %.0f%% (>= 50%%: %s)", 100 * m / t, (m >= 0.5 * t ? "met" : "NOT met")
      if (g != "") printf ", ring/gloo %.2fx (>= 1: %s)", m / g, (m >= g ? "met" : "NOT met")
      printf "\nthe same ring over TCP (as between hosts): %.0f%% of raw TCP", 100 * r / t
      if (g != "") printf ", %.2fx gloo", r / g
      printf "\n"
    }' "$work/results"
