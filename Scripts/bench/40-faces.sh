#!/usr/bin/env bash
# Haar-cascade face detection (OpenCV's frontalface_default), same grey pixels on both sides:
# a shared photo (08_couple.jpg) cropped to each aspect ratio and resized with cv2.INTER_AREA to
# 640x480 and 1920x1080.
# emocl's explicit-options path (which reproduces detectMultiScale box for box) against
# cv2.CascadeClassifier.detectMultiScale2 at scale 1.1, minNeighbors 3, minSize 24, both on
# 2 threads; the median of 7 runs after a warm-up. Then emocl's precision defaults alone
# (DetectionOptions.default: 640-px working copy, eye check), which have no OpenCV peer.
set -euo pipefail
: "${EMOCL_BENCH_BIN:=$PWD/.build/release/emocl-bench}"
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
photo="${EMOCL_SHARED:-$PWD/../shared}/datasets/photos/08_couple.jpg"
if [ ! -f "$photo" ]; then echo "skipped: no $photo"; exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$EMOCL_PYTHON" - "$photo" "$work" <<'PY'
import sys, cv2
grey = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
for w, h in [(640, 480), (1920, 1080)]:
    gh, gw = grey.shape
    cw, ch = min(gw, gh * w // h), min(gh, gw * h // w)
    crop = grey[(gh - ch) // 2:(gh - ch) // 2 + ch, (gw - cw) // 2:(gw - cw) // 2 + cw]
    cv2.resize(crop, (w, h), interpolation=cv2.INTER_AREA).tofile(f"{sys.argv[2]}/{w}x{h}.gray")
PY
for size in 640x480 1920x1080; do
  w=${size%x*}; h=${size#*x}; raw="$work/$size.gray"
  ours=$("$EMOCL_BENCH_BIN" faces --raw "$raw" --width "$w" --height "$h" --scale-factor 1.1 \
    --min-neighbors 3 --min-size 24 --threads 2 --repeats 7 | awk '{print $2 " " $6}')
  peer=$(OPENCV_NUM_THREADS=2 "$EMOCL_PYTHON" - "$raw" "$w" "$h" <<'PY'
import sys, time, statistics, cv2, numpy as np
cv2.setNumThreads(2)
w, h = int(sys.argv[2]), int(sys.argv[3])
img = np.fromfile(sys.argv[1], np.uint8).reshape(h, w)
cc = cv2.CascadeClassifier("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
run = lambda: cc.detectMultiScale2(img, scaleFactor=1.1, minNeighbors=3, minSize=(24, 24))
boxes, _ = run()
times = []
for _ in range(7):
    t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
print(f"{statistics.median(times) * 1000:.2f} {len(boxes)}")
PY
)
  read -r ours_ms ours_faces <<<"$ours"
  read -r peer_ms peer_faces <<<"$peer"
  defaults=$("$EMOCL_BENCH_BIN" faces --raw "$raw" --width "$w" --height "$h" --defaults \
    --threads 2 --repeats 7 | awk '{print $2 " ms, " $6 " faces"}')
  echo "$size scale 1.1 min 24: emocl $ours_ms ms ($ours_faces faces), OpenCV $peer_ms ms" \
    "($peer_faces faces), ratio emocl/OpenCV $(python3 -c "print(f'{$ours_ms/$peer_ms:.2f}')")"
  echo "$size emocl defaults: $defaults"
done
