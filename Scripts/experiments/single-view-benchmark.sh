#!/usr/bin/env bash
# Single-view benchmark: synthesizes the built-in parts in the scanning settings ad3d must handle,
# trains the default detector on each (no flags) and prints object / point AUROC per setting and seed.
#   SETTINGS  any of: complete (complete scans, aligned), random (complete scans, any pose),
#             views (complete training scans, single-view test scans in any pose - Real3D-AD's setting),
#             fixture (every scan one view from nearly the same direction),
#             variation (complete scans, aligned, parts differing by 2 %)     [views fixture complete]
# Prints per setting and seed the mean object / point AUROC, each part's, and the verdicts of the
# models' stored thresholds pooled over the parts (good scans judged defective, defective scans judged defective).
#   SEEDS     synthesis seeds                                                     [1 2 3]
#   PARTS     built-in parts                                 [bracket flange shaft gear knob rotor spool]
#   AD3D      the binary                                                          [.build/release/ad3d]
# Usage: bash Scripts/experiments/single-view-benchmark.sh WORKDIR   (a relative WORKDIR lies under the repository root)
set -euo pipefail
work=${1:?usage: single-view-benchmark.sh WORKDIR}
cd "$(dirname "$0")/../.."
ad3d=${AD3D:-.build/release/ad3d}
settings=${SETTINGS:-views fixture complete}
seeds=${SEEDS:-1 2 3}
parts=${PARTS:-bracket flange shaft gear knob rotor spool}
mkdir -p "$work"
for setting in $settings; do
    case $setting in
        complete) flags=(--partial-view none --pose aligned) ;;
        random) flags=(--partial-view none --pose random) ;;
        views) flags=(--partial-view test --pose random) ;;
        fixture) flags=(--partial-view fixture --pose aligned) ;;
        variation) flags=(--partial-view none --pose aligned --variation 0.02) ;;
        *) echo "unknown setting '$setting'" >&2; exit 1 ;;
    esac
    for seed in $seeds; do
        data="$work/data/$setting-$seed" models="$work/models/$setting-$seed"
        [ -d "$data" ] || "$ad3d" synth $parts -o "$data" "${flags[@]}" --seed "$seed" > /dev/null
        "$ad3d" train "$data" -o "$models/" --seed 0 > /dev/null
        "$ad3d" eval -m "$models/" "$data" --json > "$work/$setting-$seed.json"
        python3 - "$setting" "$seed" "$work/$setting-$seed.json" <<'PY'
import json, sys
setting, seed, path = sys.argv[1:]
report = json.load(open(path))
parts = " ".join(f"{c['name']} {c['object_auroc']:.2f}/{c['point_auroc']:.2f}" for c in report["categories"])
mean = report["mean"]
verdicts = [c["verdicts"] for c in report["categories"] if c.get("verdicts")]
alarms, good = sum(v["good_judged_defective"] for v in verdicts), sum(v["good"] for v in verdicts)
found, defective = sum(v["defective_judged_defective"] for v in verdicts), sum(v["defective"] for v in verdicts)
judged = f"  verdicts: good judged defective {alarms}/{good}, defective judged defective {found}/{defective}" if verdicts else ""
print(f"{setting:9s} seed {seed}  mean {mean['object_auroc']:.3f}/{mean['point_auroc']:.3f}  {parts}{judged}")
PY
    done
done
