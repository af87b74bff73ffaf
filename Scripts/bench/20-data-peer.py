"""Peer for Scripts/bench/20-data.sh: decode an image-folder dataset with Pillow in a pool of 2
processes into one uint8 NumPy array (count x height x width), files in the same order as emocl
(classes in fixed order, names sorted by bytes). Prints `images N WxH` and `load_s SECONDS`."""

import os
import sys
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image

CLASSES = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]


def decode(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("L"), dtype=np.uint8)


def load(root):
    paths, labels = [], []
    for label, name in enumerate(CLASSES):
        folder = os.path.join(root, name)
        if not os.path.isdir(folder):
            continue
        files = sorted(
            (f for f in os.listdir(folder) if not f.startswith(".")), key=lambda f: f.encode()
        )
        paths += [os.path.join(folder, f) for f in files]
        labels += [label] * len(files)
    with Pool(2) as pool:
        images = pool.map(decode, paths, chunksize=256)
    return np.stack(images), np.asarray(labels, dtype=np.uint8)


def main():
    root = sys.argv[1]
    start = time.perf_counter()
    pixels, labels = load(root)
    seconds = time.perf_counter() - start
    print(f"images {pixels.shape[0]} {pixels.shape[2]}x{pixels.shape[1]}")
    print(f"load_s {seconds:.3f}")


if __name__ == "__main__":
    main()
