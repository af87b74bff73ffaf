"""How a Haar face box relates to FER2013's framing, to choose the pipeline's crop margin.

Each of 600 random FER2013 validation faces is enlarged to 160 px and pasted into a 640x480 grey
canvas; OpenCV's frontal-face cascade (scale 1.1, minNeighbors 5, minSize 48) runs on it and the
detection best overlapping the pasted square (IoU > 0.3) is compared with it. A margin m per side
around the detected box reproduces the FER crop when box * (1 + 2m) = crop side.

Run: ~/.cache/emocl/venv/bin/python Scripts/measure/haar-fer-framing.py [../shared/datasets/fer2013/val]
"""

import glob
import random
import sys

import cv2
import numpy as np

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/fer2013/val"
files = sorted(glob.glob(f"{root}/*/*.jpg"))
random.seed(0)
random.shuffle(files)
cascade = cv2.CascadeClassifier(
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
)
side, x0, y0 = 160, 200, 150
ratios, dx, dy = [], [], []
for path in files[:600]:
    face = cv2.resize(cv2.imread(path, cv2.IMREAD_GRAYSCALE), (side, side))
    canvas = np.full((480, 640), 128, np.uint8)
    canvas[y0 : y0 + side, x0 : x0 + side] = face
    best = None
    for x, y, w, h in cascade.detectMultiScale(canvas, 1.1, 5, minSize=(48, 48)):
        ix = max(0, min(x + w, x0 + side) - max(x, x0))
        iy = max(0, min(y + h, y0 + side) - max(y, y0))
        iou = ix * iy / (w * h + side * side - ix * iy)
        if best is None or iou > best[0]:
            best = (iou, x, y, w, h)
    if best and best[0] > 0.3:
        _, x, y, w, h = best
        ratios.append(w / side)
        dx.append((x + w / 2 - (x0 + side / 2)) / side)
        dy.append((y + h / 2 - (y0 + side / 2)) / side)
r = np.array(ratios)
print(f"faces 600, detected {len(r)}")
print(
    f"box side / crop side: median {np.median(r):.3f}, mean {r.mean():.3f}, "
    f"p10 {np.percentile(r, 10):.3f}, p90 {np.percentile(r, 90):.3f}"
)
print(f"box centre offset (fraction of crop): x {np.median(dx):.3f}, y {np.median(dy):.3f}")
print(f"margin per side reproducing the FER crop: {(1 / np.median(r) - 1) / 2:.3f}")
