#!/usr/bin/env bash
# Compares the PTQ calibration methods (minmax, percentile, entropy, mse) on lenet and mobilenet-tiny with both activation
# schemes. Each model is trained in FP32 once (bench/plans/*-fp32.yaml, checkpoint kept in runs/bench/); every method then
# calibrates that same checkpoint, so the table differs only by calibration. Prints the markdown table of docs/results.md.
# Usage: bench/calibration-methods.sh [models...]   (default: lenet mobilenet-tiny)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

models=("${@:-lenet mobilenet-tiny}")
# shellcheck disable=SC2206
models=(${models[*]})
dll=src/Coordinator/bin/Release/net10.0/linux-x64/quantcluster.dll

echo "== building src/Coordinator (Release)" >&2
dotnet build src/Coordinator -c Release -nologo -v quiet >/dev/null
[[ -f "$dll" ]] || { echo "build produced no $dll" >&2; exit 1; }

work="$(mktemp -d -t qc-calib.XXXXXX)"
trap 'rm -rf "$work"' EXIT

rows=()
for model in "${models[@]}"; do
    ckpt="runs/bench/$model-fp32/model.fp32.ckpt"
    if [[ ! -f "$ckpt" ]]; then
        echo "== training $model in FP32 (bench/plans/$model-fp32.yaml)" >&2
        dotnet "$dll" --plan "bench/plans/$model-fp32.yaml" >"$work/$model-fp32.log" 2>&1 \
            || { tail -20 "$work/$model-fp32.log" >&2; exit 1; }
    fi
    for activations in asymmetric-uint8 symmetric-int8; do
        for method in minmax percentile entropy mse; do
            name="$model-$method-$activations"
            cat >"$work/$name.yaml" <<PLAN
name: $name
model: $model
mode: ptq
weights: $ckpt
ptq:
  method: $method
  activations: $activations
  weights: per-channel
PLAN
            echo "== $name" >&2
            start=$(date +%s.%N)
            dotnet "$dll" --plan "$work/$name.yaml" --output "$work/$name" >"$work/$name.log" 2>&1 \
                || { tail -20 "$work/$name.log" >&2; exit 1; }
            seconds=$(echo "$(date +%s.%N) - $start" | bc)
            rows+=("$(python3 - "$work/$name/report.json" "$model" "$method" "$activations" "$seconds" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a = r["accuracy"]
ptq_s = r["seconds"].get("ptq", 0.0)
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {100 * a['fp32']:.2f} | {100 * a['ptq']:.2f} | {100 * (a['fp32'] - a['ptq']):.2f} | {ptq_s:.1f} |")
PY
)")
        done
    done
done

echo "| model | method | activations | FP32 % | PTQ INT8 % | drop (points) | calibration s |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
