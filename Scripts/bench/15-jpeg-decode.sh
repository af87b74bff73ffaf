#!/usr/bin/env bash
# JPEG decode throughput on FER2013 val images (48x48 grey), bytes already in memory, one thread:
# emocl (TurboJPEG, straight to grey) against Pillow and OpenCV (cv2.imdecode GRAYSCALE).
set -euo pipefail
: "${EMOCL_BENCH_BIN:=$PWD/.build/release/emocl-bench}"
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
folder="${EMOCL_SHARED:-$PWD/../shared}/datasets/fer2013/val"
if [ ! -d "$folder" ]; then echo "skipped: no $folder"; exit 0; fi
ours=$("$EMOCL_BENCH_BIN" decode "$folder" --count 3000 --repeats 5 2>/dev/null)
read -r pillow opencv < <(OPENCV_NUM_THREADS=1 "$EMOCL_PYTHON" - "$folder" <<'PY'
import glob, io, sys, time
import cv2, numpy as np
from PIL import Image
cv2.setNumThreads(1)
files = sorted(glob.glob(sys.argv[1] + "/**/*.jpg", recursive=True))[:3000]
blobs = [open(f, "rb").read() for f in files]
arrays = [np.frombuffer(b, np.uint8) for b in blobs]
def best(fn):
    times = []
    for _ in range(5):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return len(blobs) / min(times)
pil = best(lambda: [np.asarray(Image.open(io.BytesIO(b)).convert("L")) for b in blobs])
ocv = best(lambda: [cv2.imdecode(a, cv2.IMREAD_GRAYSCALE) for a in arrays])
print(f"{pil:.0f} {ocv:.0f}")
PY
)
echo "emocl  $ours images/s"
echo "Pillow $pillow images/s   ratio emocl/Pillow $(python3 -c "print(f'{$ours/$pillow:.2f}')")"
echo "OpenCV $opencv images/s   ratio emocl/OpenCV $(python3 -c "print(f'{$ours/$opencv:.2f}')")"
