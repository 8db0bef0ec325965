#!/usr/bin/env bash
# ONNX Runtime FP32 vs INT8 (QDQ export) at batch 256, 1 and 2 threads, the .onnx size ratio, and our integer executor
# against ORT INT8. Target: INT8 >= 3x faster than FP32 for mlp-wide. Installs nothing.
# Usage: bench/onnx-speed.sh [model (default mlp-wide)] [repetitions (default 50)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "== building bench/OnnxSpeed (Release)"
dotnet build bench/OnnxSpeed -c Release -nologo -v quiet >/dev/null
echo "== load before: $(uptime)"
dotnet bench/OnnxSpeed/bin/Release/net10.0/linux-x64/onnx-speed.dll "${1:-mlp-wide}" "${2:-50}"
echo "== load after: $(uptime)"
