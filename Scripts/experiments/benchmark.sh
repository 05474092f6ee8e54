#!/usr/bin/env bash
# Side-by-side benchmark of ad3d's methods on a synthesized dataset: for each method, trains one
# model per category, evaluates it, and prints a markdown table (mean object/point AUROC and AUPR,
# training seconds per category, seconds per test scan including reading, model size).
#
# Usage: Scripts/experiments/benchmark.sh [OUT_DIR]       (default: benchmark/, under the repository root)
# Environment:
#   PARTS    built-in parts to synthesize        (default: "bracket flange shaft gear")
#   METHODS  rows to run, from: sca btf patchcore patchcore-encoder
#            sca-random (random encoder of the same size instead of the built-in pretrained one)
#            sca-memory sca-discriminator (one read-out only)
#            sca-surface (--readout none: surface deviation and coverage gaps alone, nothing learned)
#            sca-no-context sca-global-noise sca-mlp-head   (ablations of the discriminator)
#            (default: "sca btf patchcore patchcore-encoder")
#   SYNTH    extra `ad3d synth` options          (default: "--points 8000-12000 --seed 1")
#   TRAIN    extra `ad3d train` options for every method, e.g. "--seed 1 --pose any" (default: none)
#   REUSE=1  keep the data and the results of methods already run in OUT_DIR (same settings!)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-benchmark}"
parts=${PARTS:-"bracket flange shaft gear"}
methods=${METHODS:-"sca btf patchcore patchcore-encoder"}
synth_options=${SYNTH:-"--points 8000-12000 --seed 1"}
train_options=${TRAIN:-""}

bash Scripts/setup.sh
swift build -c release --product ad3d >&2
ad3d="$PWD/.build/release/ad3d"
mkdir -p "$out"

if [ "${REUSE:-0}" != 1 ] || [ ! -d "$out/data" ]; then
    # shellcheck disable=SC2086
    "$ad3d" synth $parts -o "$out/data" $synth_options --overwrite >&2
fi

options_for() {
    case "$1" in
        sca) echo "--method sca" ;;
        btf) echo "--method btf" ;;
        patchcore) echo "--method patchcore --features fpfh" ;;
        patchcore-encoder) echo "--method patchcore --features encoder" ;;
        sca-random) echo "--method sca --encoder random" ;;
        sca-memory) echo "--method sca --readout memory" ;;
        sca-discriminator) echo "--method sca --readout discriminator" ;;
        sca-surface) echo "--method sca --readout none" ;;
        sca-no-context) echo "--method sca --readout discriminator --no-context" ;;
        sca-global-noise) echo "--method sca --readout discriminator --generator global" ;;
        sca-mlp-head) echo "--method sca --readout discriminator --discriminator perceptron" ;;
        *) echo "benchmark: unknown method '$1'" >&2; exit 2 ;;
    esac
}

for method in $methods; do
    if [ "${REUSE:-0}" = 1 ] && [ -f "$out/timing-$method.json" ]; then continue; fi
    models="$out/models-$method"
    rm -rf "$models"
    echo "== $method: training" >&2
    start=$(date +%s%N)
    # shellcheck disable=SC2046,SC2086
    "$ad3d" train "$out/data" -o "$models" $(options_for "$method") $train_options --json > "$out/train-$method.json"
    middle=$(date +%s%N)
    echo "== $method: evaluating" >&2
    "$ad3d" eval -m "$models" "$out/data" --json > "$out/eval-$method.json"
    end=$(date +%s%N)
    bytes=$(du -cb "$models"/*.safetensors | tail -n 1 | cut -f1)
    echo "{\"method\": \"$method\", \"train_seconds\": $(( (middle - start) / 1000000 ))e-3, \"eval_seconds\": $(( (end - middle) / 1000000 ))e-3, \"model_bytes\": $bytes}" > "$out/timing-$method.json"
done

python3 - "$out" $methods <<'PY'
import json, sys
out, methods = sys.argv[1], sys.argv[2:]
def metric(value):
    return "n/a" if value is None else f"{value:.3f}"
print("| method | object AUROC | object AUPR | point AUROC | point AUPR | train s / category | s / scan | model size |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for method in methods:
    report = json.load(open(f"{out}/eval-{method}.json"))
    timing = json.load(open(f"{out}/timing-{method}.json"))
    categories = report["categories"]
    scans = sum(c["good"] + c["defective"] for c in categories)
    mean = report["mean"]
    size = timing["model_bytes"] / len(categories) / 1e6
    print(f"| {method} | {metric(mean['object_auroc'])} | {metric(mean['object_aupr'])} | "
          f"{metric(mean['point_auroc'])} | {metric(mean['point_aupr'])} | "
          f"{timing['train_seconds'] / len(categories):.1f} | {timing['eval_seconds'] / scans:.2f} | {size:.2f} MB |")
print()
print("Per category (object AUROC / point AUROC):")
print()
names = [c["name"] for c in json.load(open(f"{out}/eval-{methods[0]}.json"))["categories"]]
print("| method | " + " | ".join(names) + " |")
print("| --- |" + " --- |" * len(names))
for method in methods:
    rows = {c["name"]: c for c in json.load(open(f"{out}/eval-{method}.json"))["categories"]}
    print(f"| {method} | " + " | ".join(
        f"{metric(rows[n]['object_auroc'])} / {metric(rows[n]['point_auroc'])}" for n in names) + " |")
PY
