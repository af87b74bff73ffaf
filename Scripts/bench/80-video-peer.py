"""The peer of `emocl-bench video`: fer's own per-frame loop (what `fer.Video.analyze` does for
every frame), i.e. OpenCV's VideoCapture decoding, fer's Haar cascade (scale 1.1, 5 neighbours,
50 px) and its Keras emotion model, on every frame. Prints `frames/s <value> frames <n> seconds
<s>` for the best of --repeats passes.

fer's package __init__ imports moviepy for audio, which the loop never uses: a stub module stands
in for it so the wheel installs without moviepy and its ffmpeg download."""
import argparse
import sys
import time
import types

stub = types.ModuleType("moviepy.editor")
sys.modules.setdefault("moviepy", types.ModuleType("moviepy"))
sys.modules.setdefault("moviepy.editor", stub)

import cv2  # noqa: E402
from fer import FER  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("video")
parser.add_argument("--repeats", type=int, default=1)
args = parser.parse_args()

detector = FER(mtcnn=False)
best = float("inf")
frames = faces = 0
for _ in range(max(1, args.repeats)):
    capture = cv2.VideoCapture(args.video)
    start = time.perf_counter()
    frames = faces = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        faces += len(detector.detect_emotions(frame))
        frames += 1
    best = min(best, time.perf_counter() - start)
    capture.release()
print(f"frames/s\t{frames / best:.1f}\tframes\t{frames}\tseconds\t{best:.3f}\tfaces\t{faces}")
