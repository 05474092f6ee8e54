#!/usr/bin/env bash
# End-to-end demo on data it makes itself: builds ad3d, generates an example category in the
# Real3D-AD layout with a scored baseline (Scripts/make_demo_data.py), inspects a scan, evaluates.
# Usage: Scripts/demo.sh [OUT_DIR]   (default: demo/)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo}"

bash Scripts/setup.sh
python3 -c "import numpy" 2>/dev/null || python3 -m pip install --quiet numpy
swift build -c release --product ad3d
ad3d=".build/release/ad3d"

echo "== generating an example category in $out/ (seeded)" >&2
python3 Scripts/make_demo_data.py "$out" --seed 0
echo "== ad3d info on one defective scan" >&2
"$ad3d" info "$out/bracket/test/0_bulge.pcd"
echo "== ad3d eval of the nearest-training-point baseline scores" >&2
"$ad3d" eval --scores "$out/scores/bracket" "$out/bracket"
