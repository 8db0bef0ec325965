#!/usr/bin/env bash
# Peak managed memory of importing an ONNX model, as a multiple of the file's size (the issue's bound: below 3x).
# Runs the import twice: once to measure, once under a GC heap hard limit of 3x the file's size, which fails with an
# OutOfMemoryException if the import ever needs more.
# Usage: bench/onnx-import-memory.sh [FILE]   (default: a full ResNet-18 at 3x224x224, exported to /tmp if absent)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

file="${1:-/tmp/resnet18-3x224.onnx}"
if [[ ! -f "$file" ]]; then
    echo "== exporting torchvision resnet18 to $file"
    /usr/bin/python3 scripts/export-torchvision-onnx.py --resnet18 "$file"
fi
dll=bench/OnnxImportMemory/bin/Release/net10.0/linux-x64/onnx-import-memory.dll
echo "== building bench/OnnxImportMemory (Release)"
dotnet build bench/OnnxImportMemory -c Release -nologo -v quiet >/dev/null

echo "== measured"
dotnet "$dll" "$file"
limit=$(( 3 * $(stat -c %s "$file") ))
echo "== under DOTNET_GCHeapHardLimit=$limit bytes (3x the file)"
DOTNET_GCHeapHardLimit=$(printf '0x%x' "$limit") dotnet "$dll" "$file"
