"""Converts MTCNN's P-, R- and O-Net weights from the facenet-pytorch 2.6.0 wheel to
Models/mtcnn.safetensors, an Emocl model file of kind "mtcnn".

Run from the repository root with the bench venv (it needs numpy and safetensors, not torch
beyond reading the .pt files):
    $(bash Scripts/bench-venv.sh) Scripts/weights/convert_mtcnn.py

Steps:
1. `pip download --no-deps facenet-pytorch==2.6.0` into ~/.cache/emocl/wheels (once); the
   wheel's SHA-256 is printed and recorded in the card.
2. Read facenet_pytorch/data/{pnet,rnet,onet}.pt (state dicts) and the wheel's LICENSE.md
   (MIT, checked below).
3. Lay each net out as an Emocl NetworkSpec (a plain chain of layers) with PyTorch-style
   names "<net>.<layer index>.weight|bias":
   - the two or three output heads of each net are stacked into one final layer, rows
     [2 face/non-face logits, 4 box offsets (, 10 landmarks)], so a chain computes them all;
   - R- and O-Net flatten their last feature map as x.permute(0, 3, 2, 1) (width, height,
     channel order); Emocl's flatten is channel, height, width, so the first dense layer's
     columns are permuted here instead.
4. Write float32 tensors with the card as JSON in the safetensors metadata ("emocl_card").
"""

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import save_file

VERSION = "2.6.0"
CACHE = Path.home() / ".cache/emocl/wheels"
OUT = Path("Models/mtcnn.safetensors")
WHEEL = CACHE / f"facenet_pytorch-{VERSION}-py3-none-any.whl"


def fetch_wheel() -> Path:
    if not WHEEL.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps",
             f"facenet-pytorch=={VERSION}", "-d", str(CACHE)],
            check=True)
    return WHEEL


def conv(outputs, kernel):
    return {"type": "conv2d", "outputs": outputs, "kernel": kernel, "stride": 1,
            "padding": 0, "bias": True}


PRELU = {"type": "prelu"}


def pool(kernel, stride):
    return {"type": "maxPoolCeil", "kernel": kernel, "stride": stride}


def dense(outputs):
    return {"type": "dense", "outputs": outputs, "bias": True}


def spec(side, layers):
    return {"inputChannels": 3, "inputHeight": side, "inputWidth": side, "layers": layers}


PNET = spec(12, [conv(10, 3), PRELU, pool(2, 2), conv(16, 3), PRELU, conv(32, 3), PRELU,
                 conv(6, 1)])
RNET = spec(24, [conv(28, 3), PRELU, pool(3, 2), conv(48, 3), PRELU, pool(3, 2), conv(64, 2),
                 PRELU, {"type": "flatten"}, dense(128), PRELU, dense(6)])
ONET = spec(48, [conv(32, 3), PRELU, pool(3, 2), conv(64, 3), PRELU, pool(3, 2), conv(64, 3),
                 PRELU, pool(2, 2), conv(128, 2), PRELU, {"type": "flatten"}, dense(256), PRELU,
                 dense(16)])


def permuted_dense(weight: np.ndarray, channels: int, side: int) -> np.ndarray:
    """Columns of a dense weight fed by permute(0,3,2,1).view (index x·H·C + y·C + c),
    reordered for Emocl's flatten (index c·H·W + y·W + x)."""
    out = weight.shape[0]
    return weight.reshape(out, side, side, channels).transpose(0, 3, 2, 1).reshape(out, -1)


def convert(nets) -> dict:
    p, r, o = nets["pnet"], nets["rnet"], nets["onet"]
    t = {}

    def put(prefix, index, w, b=None):
        t[f"{prefix}.{index}.weight"] = np.ascontiguousarray(w, dtype=np.float32)
        if b is not None:
            t[f"{prefix}.{index}.bias"] = np.ascontiguousarray(b, dtype=np.float32)

    put("pnet", 0, p["conv1.weight"], p["conv1.bias"])
    put("pnet", 1, p["prelu1.weight"])
    put("pnet", 3, p["conv2.weight"], p["conv2.bias"])
    put("pnet", 4, p["prelu2.weight"])
    put("pnet", 5, p["conv3.weight"], p["conv3.bias"])
    put("pnet", 6, p["prelu3.weight"])
    put("pnet", 7, np.concatenate([p["conv4_1.weight"], p["conv4_2.weight"]]),
        np.concatenate([p["conv4_1.bias"], p["conv4_2.bias"]]))

    put("rnet", 0, r["conv1.weight"], r["conv1.bias"])
    put("rnet", 1, r["prelu1.weight"])
    put("rnet", 3, r["conv2.weight"], r["conv2.bias"])
    put("rnet", 4, r["prelu2.weight"])
    put("rnet", 6, r["conv3.weight"], r["conv3.bias"])
    put("rnet", 7, r["prelu3.weight"])
    put("rnet", 9, permuted_dense(r["dense4.weight"], 64, 3), r["dense4.bias"])
    put("rnet", 10, r["prelu4.weight"])
    put("rnet", 11, np.concatenate([r["dense5_1.weight"], r["dense5_2.weight"]]),
        np.concatenate([r["dense5_1.bias"], r["dense5_2.bias"]]))

    put("onet", 0, o["conv1.weight"], o["conv1.bias"])
    put("onet", 1, o["prelu1.weight"])
    put("onet", 3, o["conv2.weight"], o["conv2.bias"])
    put("onet", 4, o["prelu2.weight"])
    put("onet", 6, o["conv3.weight"], o["conv3.bias"])
    put("onet", 7, o["prelu3.weight"])
    put("onet", 9, o["conv4.weight"], o["conv4.bias"])
    put("onet", 10, o["prelu4.weight"])
    put("onet", 12, permuted_dense(o["dense5.weight"], 128, 3), o["dense5.bias"])
    put("onet", 13, o["prelu5.weight"])
    put("onet", 14,
        np.concatenate([o["dense6_1.weight"], o["dense6_2.weight"], o["dense6_3.weight"]]),
        np.concatenate([o["dense6_1.bias"], o["dense6_2.bias"], o["dense6_3.bias"]]))
    return t


def main():
    wheel = fetch_wheel()
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    print(f"{wheel.name} sha256 {digest}")
    with zipfile.ZipFile(wheel) as z:
        licence = z.read(f"facenet_pytorch-{VERSION}.dist-info/LICENSE.md").decode()
        assert licence.startswith("MIT License"), "facenet-pytorch's licence is no longer MIT"
        assert "Copyright (c) 2019 Timothy Esler" in licence
        nets = {}
        for name in ("pnet", "rnet", "onet"):
            state = torch.load(io.BytesIO(z.read(f"facenet_pytorch/data/{name}.pt")),
                               map_location="cpu", weights_only=True)
            nets[name] = {k: v.numpy() for k, v in state.items()}
    tensors = convert(nets)
    card = {
        "kind": "mtcnn",
        "format_version": 1,
        "classes": ["face"],
        # The P-Net window; the detector takes RGB images of any size. x = (pixel − 127.5) / 128.
        "input": {"width": 12, "height": 12, "channels": 3, "scale": 1 / 255,
                  "mean": [0.5] * 3, "std": [128 / 255] * 3},
        "architecture": {
            "model": "MTCNN (Zhang et al. 2016, 'Joint Face Detection and Alignment using "
                     "Multi-task Cascaded Convolutional Networks'): P-Net on an image pyramid, "
                     "R-Net on 24x24 and O-Net on 48x48 crops",
            "pnet": PNET, "rnet": RNET, "onet": ONET,
            "heads": "last layer rows: 0-1 face logits (softmax, index 1 = face), 2-5 box "
                     "offsets, O-Net 6-10 landmark x and 11-15 landmark y (fractions of the box)",
            "landmarks": ["left eye", "right eye", "nose", "left mouth corner",
                          "right mouth corner"],
            "thresholds": [0.6, 0.7, 0.7], "factor": 0.709, "min_face": 20,
            "parameters": int(sum(v.size for v in tensors.values())),
        },
        "training": {
            "data": "WIDER FACE and CelebA (by the original MTCNN authors)",
            "command": f"Scripts/weights/convert_mtcnn.py (from facenet-pytorch=={VERSION}, "
                       f"wheel sha256 {digest}, facenet_pytorch/data/pnet.pt, rnet.pt, onet.pt)",
            "seconds": 0,
            "date": "2026-12-03T00:00:00Z",
        },
        "emocl_version": "0.1.0",
        "intended_use": (
            "Face detection (boxes, face probability, five landmarks) in photos, to find faces "
            "for Emocl's emotion models. Weights: MTCNN as shipped by facenet-pytorch 2.6.0 "
            "(https://github.com/timesler/facenet-pytorch, MIT License, Copyright (c) 2019 "
            "Timothy Esler; ported from David Sandberg's facenet, MIT, which took them from "
            "Kaipeng Zhang's MTCNN release). Converted to Emocl's layout without retraining. "
            "Limitations: trained on WIDER FACE/CelebA, so it misses some very small, "
            "occluded, profile or atypical faces and may find faces in drawings; accuracy "
            "differs across groups and settings. Do not use it to identify people."),
    }
    OUT.parent.mkdir(exist_ok=True)
    save_file(tensors, str(OUT), metadata={"emocl_card": json.dumps(card, sort_keys=True)})
    print(f"wrote {OUT}: {len(tensors)} tensors, {card['architecture']['parameters']} parameters")


if __name__ == "__main__":
    main()
