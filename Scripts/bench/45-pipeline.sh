#!/usr/bin/env bash
# The photo -> faces -> emotions pipeline with its default settings (what `emocl predict` and the
# service run): median time of each stage (decode with EXIF, detect, crop + resize + classify) and
# end to end, on a shared photo (08_couple.jpg) centre-cropped and resized with Pillow to 640x480,
# 1155x866 (1 MP) and 1920x1080, saved as JPEG quality 90, with each detector: the default, MTCNN
# (`cnn`, one thread, as each of a server's concurrent detections runs; its peer is
# facenet-pytorch in 41-cnn-faces.sh), and the Haar cascades. Goal (set for the Haar detector):
# <= 50 ms end to end at 1 MP. Peer of the Haar rows: OpenCV on the same JPEG bytes at our default
# settings as far as it has them (imdecode to grey, INTER_AREA copy of at most 480 px on the
# longer side, detectMultiScale with scale 1.2, minNeighbors 4, minimum side max(30, 1/10 of the
# shorter side); no eye check), 2 threads; it has no classifier, so the ratio compares our
# decode + detect with it.
# Then the face count on every shared photo: ours with the defaults, OpenCV's CascadeClassifier
# with its default parameters. Model: $EMOCL_PIPELINE_MODEL (default: cnn, else svm, else logreg).
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
shared="${EMOCL_SHARED:-$(cd .. && pwd)/shared}"
photos="$shared/datasets/photos"
if [ ! -d "$photos" ]; then echo "skipped: $photos not found (set EMOCL_SHARED)"; exit 0; fi
: "${EMOCL_BIN:=$PWD/.build/release/emocl}"
: "${EMOCL_BENCH_BIN:=$PWD/.build/release/emocl-bench}"
: "${EMOCL_PYTHON:=$(bash Scripts/bench-venv.sh)}"
model="${EMOCL_PIPELINE_MODEL:-}"
if [ -z "$model" ]; then
  for name in cnn svm logreg; do
    if [ -f "Models/$name.safetensors" ]; then model=$name; break; fi
  done
fi
if [ -z "$model" ]; then echo "skipped: no model in Models/"; exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$EMOCL_PYTHON" - "$photos/08_couple.jpg" "$work" <<'PY'
import sys
from PIL import Image
src = Image.open(sys.argv[1]).convert("RGB")
for w, h in [(640, 480), (1155, 866), (1920, 1080)]:
    sw, sh = src.size
    cw, ch = min(sw, sh * w // h), min(sh, sw * h // w)
    left, top = (sw - cw) // 2, (sh - ch) // 2
    img = src.crop((left, top, left + cw, top + ch)).resize((w, h), Image.LANCZOS)
    img.save(f"{sys.argv[2]}/{w}x{h}.jpg", quality=90)
PY
echo "model: $model; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in 640x480 1155x866 1920x1080; do
  file="$work/$size.jpg"
  value() { awk -F'\t' -v k="$1" '$1 == k {print $2}' <<<"$ours"; }
  ours="$("$EMOCL_BENCH_BIN" pipeline-stages --image "$file" --model "$model" --repeats 9 --detector cnn)"
  awk -v s="$size" -v d="$(value decode_ms)" -v t="$(value detect_ms)" -v c="$(value classify_ms)" \
    -v e="$(value end_to_end_ms)" -v f="$(value faces)" 'BEGIN {
      printf "%-9s ours, cnn (default): decode %6.2f ms, detect %6.2f ms, classify %6.2f ms, end to end %6.2f ms (%d faces)\n", s, d, t, c, e, f
    }'
  ours="$("$EMOCL_BENCH_BIN" pipeline-stages --image "$file" --model "$model" --repeats 9 --detector haar)"
  peer="$(OPENCV_NUM_THREADS=2 "$EMOCL_PYTHON" - "$file" <<'PY'
import sys, time, statistics, cv2, numpy as np
cv2.setNumThreads(2)
data = np.fromfile(sys.argv[1], np.uint8)
cc = cv2.CascadeClassifier("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
def run():
    grey = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    h, w = grey.shape
    f = min(1.0, 480 / max(w, h))
    if f < 1:
        grey = cv2.resize(grey, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    side = max(30, round(0.1 * min(grey.shape)))
    return cc.detectMultiScale(grey, scaleFactor=1.2, minNeighbors=4, minSize=(side, side))
run()
times = []
for _ in range(9):
    t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
print(f"{statistics.median(times) * 1000:.2f}")
PY
)"
  awk -v s="$size" -v d="$(value decode_ms)" -v t="$(value detect_ms)" -v c="$(value classify_ms)" \
    -v e="$(value end_to_end_ms)" -v f="$(value faces)" -v p="$peer" 'BEGIN {
      printf "%-9s ours, haar: decode %6.2f ms, detect %6.2f ms, classify %6.2f ms, end to end %6.2f ms (%d faces)\n", s, d, t, c, e, f
      printf "%-9s OpenCV decode+detect (our settings, no eye check) %6.2f ms; ratio ours decode+detect / OpenCV %.2f\n", s, p, (d + t) / p
    }'
done
echo "faces per shared photo: ours (defaults) / OpenCV (default parameters) / labels.csv"
for photo in "$photos"/*.jpg "$photos"/*.png; do
  name="$(basename "$photo")"
  ours="$("$EMOCL_BIN" predict "$photo" --model "$model" --format json |
    "$EMOCL_PYTHON" -c 'import json, sys; print(len(json.load(sys.stdin)[0].get("faces", [])))')"
  theirs="$("$EMOCL_PYTHON" - "$photo" <<'PY'
import sys, cv2
grey = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
cc = cv2.CascadeClassifier("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
print(len(cc.detectMultiScale(grey)))
PY
)"
  label="$(awk -F, -v f="$name" '$1 == f {print $5}' "$photos/labels.csv")"
  printf "  %-28s ours %2s   OpenCV %2s   labelled %s\n" "$name" "$ours" "$theirs" "$label"
done
