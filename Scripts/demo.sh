#!/usr/bin/env bash
# End-to-end demo on data it makes itself: builds ad3d, synthesizes a small benchmark category
# (a bracket with bulges, sinks, holes, cracks, cuts and bends), trains the main detector and the
# BTF baseline on its good scans, prints the metrics of both, then writes a heat-coloured PLY of
# one defective scan, lists where its defects are (regions above the point score of best F1) and
# writes the visual report (curves, tables, heat-map renders) to OUT_DIR/report.html.
# Usage: Scripts/demo.sh [OUT_DIR]   (default: demo/)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo}"

bash Scripts/setup.sh
swift build -c release --product ad3d
ad3d=".build/release/ad3d"

echo "== ad3d synth: a Real3D-AD-style category in $out/data/bracket" >&2
"$ad3d" synth bracket -o "$out/data" --points 8000-12000 --seed 0 --overwrite
echo "== ad3d train: the main detector (sca) and the BTF baseline" >&2
"$ad3d" train "$out/data/bracket" -o "$out/bracket-sca.safetensors"
"$ad3d" train "$out/data/bracket" -o "$out/bracket-btf.safetensors" --method btf
echo "== ad3d eval: btf" >&2
"$ad3d" eval -m "$out/bracket-btf.safetensors" "$out/data/bracket"
echo "== ad3d eval: sca" >&2
"$ad3d" eval -m "$out/bracket-sca.safetensors" "$out/data/bracket"
echo "== ad3d report: curves, tables and heat-map renders" >&2
"$ad3d" report -m "$out/bracket-sca.safetensors" "$out/data/bracket" -o "$out/report.html" > /dev/null
echo "== ad3d infer: verdicts and defect regions at the model's thresholds; heat-coloured PLYs in $out/heatmaps/" >&2
"$ad3d" infer -m "$out/bracket-sca.safetensors" "$out/data/bracket/test" -o "$out/heatmaps" --format ply
echo "== the report: $out/report.html" >&2
echo "$out/report.html"
