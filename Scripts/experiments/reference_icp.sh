#!/usr/bin/env bash
# Runs Scripts/experiments/reference_icp.py (the Open3D registration + distance reference detector) on
# synthetic data from `ad3d synth` and scores it with `ad3d eval --scores`.
#
#   Scripts/experiments/reference_icp.sh [WORK_DIR]     (default WORK_DIR: /tmp/reference-icp)
#
# Environment: AD3D (the ad3d binary; default .build/release/ad3d), CATEGORIES (default
# "bracket gear flange"), SEED (default 1), PYTHON (default python3; needs open3d numpy scipy).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-/tmp/reference-icp}
AD3D=${AD3D:-.build/release/ad3d}
PYTHON=${PYTHON:-python3}
CATEGORIES=${CATEGORIES:-bracket gear flange}
SEED=${SEED:-1}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
mkdir -p "$WORK"

# name  synth options                              detector options
RUNS=(
  "aligned-none       --partial-view none --pose aligned   --global none"
  "aligned-multistart --partial-view none --pose aligned   --global multistart"
  "single-multistart  --partial-view test --pose random    --global multistart"
  "single-ransac      --partial-view test --pose random    --global ransac"
)

for run in "${RUNS[@]}"; do
  read -r name view_flag view pose_flag pose global_flag method <<<"$run"
  data="$WORK/data-$view-$pose"
  if [ ! -d "$data" ]; then
    # shellcheck disable=SC2086
    "$AD3D" synth $CATEGORIES -o "$data" "$view_flag" "$view" "$pose_flag" "$pose" --seed "$SEED" >/dev/null
  fi
  echo "== $name ($view_flag $view $pose_flag $pose, $global_flag $method)"
  start=$(date +%s)
  "$PYTHON" Scripts/experiments/reference_icp.py "$data" "$WORK/scores-$name" "$global_flag" "$method" 2>"$WORK/$name.log"
  grep -E "per scan|registration (equivalent|wrong)" "$WORK/$name.log" || true
  echo "wall time: $(( $(date +%s) - start ))s"
  "$AD3D" eval --scores "$WORK/scores-$name" "$data"
done
