#!/usr/bin/env bash
# Face detection on generated scenes with issue 13's properties (`emocl-bench detector-scenes`):
# 1280x800 grey scenes (about 1 MP: plain, noisy or blotchy backgrounds), each with 2-6 FER2013
# validation faces of 24-400 px (log-uniform), turned by up to ±30°, a quarter of them partly
# covered by a grey block; faces found (IoU >= 0.3 with the face's square), by size, angle and
# cover; detections matching no face per 20 scenes; detection time per megapixel. Both
# detectors, same scenes (seed 1). EMOCL_SCENES sets the number of scenes (default 200).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash Scripts/bench-info.sh
bin="${EMOCL_BENCH_BIN:-$PWD/.build/release/emocl-bench}"
data="${EMOCL_SHARED:-$PWD/../shared}/datasets/fer2013/val"
if [ ! -d "$data" ]; then echo "skipped: no $data"; exit 0; fi
for detector in cnn haar; do
  "$bin" detector-scenes --data "$data" --models Models --detector "$detector" \
    --scenes "${EMOCL_SCENES:-200}"
  echo
done
