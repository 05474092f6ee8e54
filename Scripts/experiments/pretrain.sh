#!/usr/bin/env bash
# Pretrains the built-in Point-MAE encoder (small: D 192, 6 blocks) by masked autoencoding on the
# procedural shape generator, as `ad3d pretrain` does, with the sampling-consistency loss (each
# shape sampled twice; the patch tokens of the two samplings of a patch are made to agree);
# 18 minutes on this 2-core machine.
#
#   Scripts/experiments/pretrain.sh [OUTPUT] [extra ad3d pretrain flags...]
#
# OUTPUT defaults to pretrained-encoder.safetensors; the loss curve goes to OUTPUT.csv and the
# resumable state to OUTPUT.state (rerun with `--resume OUTPUT.state` after an interruption).
set -euo pipefail
cd "$(dirname "$0")/../.."

output="${1:-pretrained-encoder.safetensors}"
shift || true

swift build -c release --product ad3d
.build/release/ad3d pretrain \
    --output "$output" \
    --encoder-size small \
    --steps 1000 \
    --batch-size 16 \
    --learning-rate 1e-3 \
    --warmup 50 \
    --points 8192 --crop-points 1024 --groups 64 --group-size 32 \
    --validation 64 \
    --checkpoint-every 250 \
    --log "$output.csv" \
    --seed 0 \
    --half \
    --consistency-weight 1e-4 \
    "$@"
