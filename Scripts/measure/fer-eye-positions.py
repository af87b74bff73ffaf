"""Where FER2013's eyes sit, and how tilted its faces are: facenet-pytorch's MTCNN landmarks on
a seeded sample of train images (each 48x48 grey face upscaled 4x with bilinear filtering, as
MTCNN needs faces of at least 20 px and some context), the most probable face per image, mapped
back to 48x48 pixels. Prints the median and quartiles of the left and right eye positions, the
detection rate, and percentiles of the faces' |roll| (FaceAligner.levelBeyondDegrees is the
95th: 19.2 degrees on 2026-12-05).

    $(bash Scripts/bench-venv.sh) Scripts/measure/fer-eye-positions.py [N per class, default 150]
"""

import os
import random
import sys
from pathlib import Path

import numpy as np
import torch
from facenet_pytorch import MTCNN
from PIL import Image

SHARED = Path(os.environ.get("EMOCL_SHARED") or Path.cwd().parent / "shared")
TRAIN = SHARED / "datasets/fer2013/train"
per_class = int(sys.argv[1]) if len(sys.argv) > 1 else 150
torch.set_num_threads(2)
mtcnn = MTCNN(keep_all=True)
rng = random.Random(1)
eyes, tried = [], 0
for label in sorted(os.listdir(TRAIN)):
    files = sorted(os.listdir(TRAIN / label))
    for name in rng.sample(files, min(per_class, len(files))):
        tried += 1
        img = Image.open(TRAIN / label / name).convert("RGB").resize((192, 192), Image.BILINEAR)
        boxes, probs, points = mtcnn.detect(img, landmarks=True)
        if boxes is None:
            continue
        best = int(np.argmax(probs))
        eyes.append(np.asarray(points[best][:2]) / 4)  # [[lx, ly], [rx, ry]] in 48-px units
e = np.stack(eyes)
print(f"faces with landmarks: {len(e)} of {tried}")
for i, which in enumerate(["left eye", "right eye"]):
    for j, axis in enumerate("xy"):
        q = np.percentile(e[:, i, j], [25, 50, 75])
        print(f"{which} {axis}: median {q[1]:.2f} (quartiles {q[0]:.2f}, {q[2]:.2f}) of 48")
# The roll of each face (the angle of the line from the left to the right eye, degrees; image y
# points down): how tilted FER2013's faces are, which the classifier learnt from.
f = e.astype(np.float64)
roll = np.degrees(np.arctan2(f[:, 1, 1] - f[:, 0, 1], f[:, 1, 0] - f[:, 0, 0]))
q = np.percentile(np.abs(roll), [50, 75, 90, 95, 99])
print("|roll| percentiles 50/75/90/95/99: " + " ".join(f"{v:.1f}" for v in q) + " degrees")
print(f"roll: median {np.median(roll):.2f} degrees")
