#!/usr/bin/env bash
# MTCNN face detection on a 1-megapixel photo (08_couple.jpg, Pillow-decoded RGB, resized with
# Pillow's box filter to 1155x866), same pixels on both sides: emocl's MTCNNDetector (P-Net's
# convolutions on 2 threads) against facenet-pytorch 2.6.0's MTCNN (torch on 2 threads), default
# options (min face 20, thresholds 0.6/0.7/0.7, factor 0.709); the median of 7 runs after a
# warm-up. facenet-pytorch is installed as Scripts/fixtures/mtcnn_reference.py says; without it
# only emocl's time is printed.
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
: "${EMOCL_BENCH_BIN:=$PWD/.build/release/emocl-bench}"
: "${EMOCL_PYTHON:=$(bash "$(dirname "$0")/../bench-venv.sh")}"
photo="${EMOCL_SHARED:-$PWD/../shared}/datasets/photos/08_couple.jpg"
if [ ! -f "$photo" ]; then echo "skipped: no $photo"; exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
w=1155; h=866; raw="$work/photo.rgb"
EMOCL_PYTHON="$EMOCL_PYTHON" bash "$(dirname "$0")/../bench-raw-photo.sh" "$photo" "$raw" "$w" "$h"
ours=$("$EMOCL_BENCH_BIN" cnn-faces --raw "$raw" --width "$w" --height "$h" --threads 2 \
  --repeats 7)
read -r _ ours_ms _ first_ms _ ours_faces _ <<<"$ours"
peer=$("$EMOCL_PYTHON" - "$raw" "$w" "$h" <<'PY' 2>/dev/null || echo "n/a n/a"
import sys, time, statistics
import numpy as np, torch
from facenet_pytorch import MTCNN
torch.set_num_threads(2)
w, h = int(sys.argv[2]), int(sys.argv[3])
img = np.fromfile(sys.argv[1], np.uint8).reshape(h, w, 3)
mtcnn = MTCNN(keep_all=True)
boxes, _ = mtcnn.detect(img)
times = []
for _ in range(7):
    t = time.perf_counter(); mtcnn.detect(img); times.append(time.perf_counter() - t)
print(f"{statistics.median(times) * 1000:.2f} {0 if boxes is None else len(boxes)}")
PY
)
read -r peer_ms peer_faces <<<"$peer"
ratio=$(python3 -c "print(f'{$ours_ms/$peer_ms:.2f}')" 2>/dev/null || echo n/a)
echo "${w}x${h} MTCNN: emocl $ours_ms ms ($ours_faces faces; first call $first_ms ms)," \
  "facenet-pytorch $peer_ms ms ($peer_faces faces), ratio emocl/facenet-pytorch $ratio" \
  "(goal: 25 ms)"
