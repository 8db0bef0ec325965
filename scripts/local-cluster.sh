#!/usr/bin/env bash
# Runs a plan on a real cluster on this machine: a coordinator, worker processes and a calibration process, each its
# own OS process joined over loopback. Usage: scripts/local-cluster.sh [plan] [worker processes] [port]
# Each worker process hosts one replica per entry of DEVICES (default cpu:0; cpu:0,cpu:1 gives each two replicas that
# sum in memory before the ring), each with one torch thread; the coordinator is the seed and waits for them all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

plan="${1:-examples/qat.yaml}"
workers="${2:-2}"
port="${3:-4053}"
output="${OUTPUT:-runs/cluster-$(basename "$plan" .yaml)}"
devices="${DEVICES:-cpu:0}"
IFS=, read -r -a device_list <<<"$devices"
replicas=$((workers * ${#device_list[@]}))

dotnet build src/Coordinator -c Release -nologo -v quiet >/dev/null
dotnet build src/GpuWorker -c Release -nologo -v quiet >/dev/null
dotnet build src/CalibrationNode -c Release -nologo -v quiet >/dev/null
bin=bin/Release/net10.0/linux-x64

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

mkdir -p "$output"
for ((i = 0; i < workers; i++)); do
    dotnet "src/GpuWorker/$bin/QuantCluster.GpuWorker.dll" --seed "127.0.0.1:$port" --devices "$devices" --threads 1 >"$output/worker-$i.log" 2>&1 &
    pids+=($!)
done
dotnet "src/CalibrationNode/$bin/QuantCluster.CalibrationNode.dll" --seed "127.0.0.1:$port" >"$output/calibration.log" 2>&1 &
pids+=($!)

dotnet "src/Coordinator/$bin/quantcluster.dll" --plan "$plan" --output "$output" --listen "127.0.0.1:$port" --workers "$replicas" --calibrators 1
