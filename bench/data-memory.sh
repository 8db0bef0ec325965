#!/usr/bin/env bash
# Memory one process holds for a large data set several actors read: an .npz of N 28x28 images (default 80,000, 10x
# the shipped training set) written by the benchmark itself in /tmp, opened once through the process's DataSetCache for
# 4 actors, each taking its training view. uint8 and float32 in separate processes; the ratio held / (N x 784 x bytes
# per value) is 1 when the data is held once, as it is stored, and 4 would mean one copy per actor.
# Usage: bench/data-memory.sh [N] [ACTORS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-80000}"
actors="${2:-4}"
dll=bench/DataMemory/bin/Release/net10.0/linux-x64/data-memory.dll
echo "== building bench/DataMemory (Release)"
dotnet build bench/DataMemory -c Release -nologo -v quiet >/dev/null
dotnet "$dll" --images "$n" --actors "$actors"
dotnet "$dll" --images "$n" --actors "$actors" --float
