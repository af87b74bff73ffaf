#!/usr/bin/env bash
# The pipeline on faces it has not seen cropped: 600 FER2013 validation faces, each enlarged to
# 120-200 px and pasted into a generated 640x480 scene (plain, noisy or blotchy background), go
# through detect -> margin crop -> resize -> classify. Ours: accuracy of the pipeline's answer for
# the detected box matching the pasted face. Peer: the same model on the 48x48 crops directly.
# Model: $EMOCL_SCENE_MODEL (a name or path; default cnn); detector: $EMOCL_SCENE_DETECTOR (cnn
# or haar; default cnn).
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
shared="${EMOCL_SHARED:-$(cd .. && pwd)/shared}"
dir="$shared/datasets/fer2013/val"
if [ ! -d "$dir" ]; then
  echo "skipped: $dir not found (set EMOCL_SHARED)"
  exit 0
fi
: "${EMOCL_BIN:=$PWD/.build/release/emocl}"
: "${EMOCL_BENCH_BIN:=$PWD/.build/release/emocl-bench}"
model="${EMOCL_SCENE_MODEL:-cnn}"
if ! out=$("$EMOCL_BENCH_BIN" pipeline-scenes --data "$dir" --model "$model" --limit 600 \
  --detector "${EMOCL_SCENE_DETECTOR:-cnn}" 2>&1); then
  echo "skipped: $(echo "$out" | tail -1)"
  exit 0
fi
echo "$out"
awk -F'\t' '
  /^detected\t/ { detected = $3 }
  /^accuracy_crops\t/ { crops = $2 }
  /^accuracy_pipeline\t/ { all = $2 }
  /^accuracy_pipeline_detected\t/ { pipe = $2 }
  /^accuracy_crops_detected\t/ { same = $2 }
  END {
    printf "faces found in scenes: %s\n", detected
    printf "accuracy on found faces: ours (pipeline on scenes) %s   peer (same faces, crops) %s   ratio %.2f\n", pipe, same, (pipe + 0) / (same + 0)
    printf "accuracy on all faces:   ours (missed = wrong) %s   peer (crops) %s   ratio %.2f\n", all, crops, (all + 0) / (crops + 0)
  }' <<< "$out"
