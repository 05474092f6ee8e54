#!/usr/bin/env bash
# Pretrained vs random encoder: the default SCA detector with the built-in (pretrained) encoder
# against the same detector with a seeded random encoder of the same size (`--encoder random`),
# on all seven built-in parts under four conditions — aligned, jittered (≤ 3° tilts), randomly
# rotated scans (trained with `--pose any`, so registered) and instances that differ smoothly
# (`--variation 0.02`) — each with several training seeds (a seed also draws the random encoder).
# Runs Scripts/experiments/benchmark.sh once per condition and seed, then prints mean object / point AUROC per
# condition, per kind of condition and overall, beside the same detector without its learned part
# (`--readout none`: surface deviation and coverage gaps alone), which shows how much the encoder's
# patch scores can move the result at all.
#
# Usage: Scripts/experiments/encoder-comparison.sh [OUT_DIR]      (default: encoder-comparison/, under the repository root)
# Environment:
#   PARTS   built-in parts (default: "bracket flange shaft gear bottle knob ring")
#   SEEDS   training seeds (default: "0 1 2")
# Reruns reuse the data and every result already in OUT_DIR (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-encoder-comparison}"
parts=${PARTS:-"bracket flange shaft gear bottle knob ring"}
seeds=${SEEDS:-"0 1 2"}

# name | `ad3d synth` options | `ad3d train` options
conditions=(
    "aligned-1|--points 8000-12000 --seed 1|"
    "aligned-2|--points 8000-12000 --seed 2|"
    "jitter-3|--points 8000-12000 --seed 3 --pose jitter|"
    "rotated-5|--points 8000-12000 --seed 5 --pose random|--pose any"
    "rotated-8|--points 8000-12000 --seed 8 --pose random|--pose any"
    "varied-6|--points 8000-12000 --seed 6 --variation 0.02|"
)

bash Scripts/setup.sh
swift build -c release --product ad3d >&2
for condition in "${conditions[@]}"; do
    IFS='|' read -r name synth train <<< "$condition"
    if [ ! -d "$out/$name/data" ]; then
        # shellcheck disable=SC2086
        .build/release/ad3d synth $parts -o "$out/$name/data" $synth --overwrite >&2
    fi
    for seed in $seeds; do
        run="$out/$name/seed-$seed"
        mkdir -p "$run"
        ln -sfn ../data "$run/data"
        echo "== $name, training seed $seed" >&2
        REUSE=1 METHODS="sca sca-random sca-surface" TRAIN="--seed $seed $train" bash Scripts/experiments/benchmark.sh "$run" > "$run/table.md"
    done
done

python3 - "$out" "${conditions[@]%%|*}" <<'PY'
import glob, json, sys
out, names = sys.argv[1], sys.argv[2:]
def mean(values):
    return sum(values) / len(values)
def runs(name):
    """(built-in, random, surface terms alone) mean object and point AUROC of every seed run of a condition."""
    result = []
    for folder in sorted(glob.glob(f"{out}/{name}/seed-*")):
        pair = []
        for method in ("sca", "sca-random", "sca-surface"):
            report = json.load(open(f"{folder}/eval-{method}.json"))["mean"]
            pair.append((report["object_auroc"], report["point_auroc"]))
        result.append(pair)
    return result
def pair_text(results):
    return f"{mean([r[0] for r in results]):.3f} / {mean([r[1] for r in results]):.3f}"
def row(label, pairs):
    built = [p[0] for p in pairs]; rand = [p[1] for p in pairs]; surface = [p[2] for p in pairs]
    ahead = [sum(b[i] > r[i] for b, r in zip(built, rand)) for i in (0, 1)]
    return (f"| {label} | {len(pairs)} | {pair_text(built)} | {pair_text(rand)} | {ahead[0]} / {ahead[1]} | "
            f"{pair_text(surface)} |")
print("| condition | runs | built-in object / point AUROC | random object / point AUROC | built-in ahead (object / point) "
      "| surface terms alone |")
print("| --- | --- | --- | --- | --- | --- |")
groups = {"aligned or jittered": [], "rotated": [], "varied": []}
for name in names:
    pairs = runs(name)
    groups["rotated" if name.startswith("rotated") else "varied" if name.startswith("varied") else "aligned or jittered"].extend(pairs)
    print(row(name, pairs))
for label, pairs in groups.items():
    print(row(f"**{label}**", pairs))
everything = [pair for pairs in groups.values() for pair in pairs]
print(row("**all**", everything))
def difference(first, second):
    """Mean and standard error over all runs of the paired difference first − second, per level."""
    texts = []
    for level in (0, 1):
        values = [run[first][level] - run[second][level] for run in everything]
        spread = (sum((v - mean(values)) ** 2 for v in values) / (len(values) - 1)) ** 0.5 if len(values) > 1 else 0
        texts.append(f"{mean(values):+.4f} (standard error {spread / len(values) ** 0.5:.4f})")
    return f"object {texts[0]}, point {texts[1]}"
print()
print(f"Paired over all {len(everything)} runs, built-in − random: {difference(0, 1)}.")
print(f"What the learned part adds, built-in − surface terms alone: {difference(0, 2)}; random − surface terms alone: {difference(1, 2)}.")
PY
