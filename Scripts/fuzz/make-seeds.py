#!/usr/bin/env python3
"""Writes the committed fuzz seeds under Tests/FuzzCorpus/<target>/ (a few KB each).

Small images cut from the shared photos (JPEG with EXIF orientations, PNG of every colour type,
WebP lossy/lossless/alpha), safetensors and model files built here, the cards of the shipped
models, and OpenCV cascades cut down to their first stages. Needs Pillow (`pip install pillow`),
the shared data (EMOCL_SHARED, default ../shared) and opencv-data. Run from the repository root:
    python3 Scripts/fuzz/make-seeds.py
"""
import io
import json
import os
import struct
import sys
import xml.etree.ElementTree as ET

from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "Tests", "FuzzCorpus")
SHARED = os.environ.get("EMOCL_SHARED") or os.path.join(ROOT, "..", "shared")
CASCADES = "/usr/share/opencv4/haarcascades"


def write(target, name, data):
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def exif_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def images():
    photo = Image.open(os.path.join(SHARED, "datasets", "photos", "21_single_face.jpg"))
    small = photo.convert("RGB").resize((24, 18))

    def save(name, image, fmt, **kw):
        buf = io.BytesIO()
        image.save(buf, fmt, **kw)
        write("image", name, buf.getvalue())

    save("baseline.jpg", small, "JPEG", quality=70)
    save("progressive.jpg", small, "JPEG", quality=70, progressive=True)
    save("grey.jpg", small.convert("L"), "JPEG", quality=70)
    save("cmyk.jpg", small.convert("CMYK"), "JPEG", quality=70)
    save("subsampled-444.jpg", small, "JPEG", quality=90, subsampling=0)
    for value in (3, 6, 8):
        save(f"exif-orientation-{value}.jpg", small, "JPEG", quality=60, exif=exif_orientation(value))
    # Big-endian ("MM") TIFF block: one IFD0 entry, orientation 5 as a SHORT.
    big_endian = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x05\0\0\0\0\0\0"
    save("exif-orientation-5-big-endian.jpg", small, "JPEG", quality=60, exif=big_endian)
    save("rgb.png", small, "PNG")
    save("grey.png", small.convert("L"), "PNG")
    save("grey-alpha.png", small.convert("LA"), "PNG")
    save("rgba.png", small.convert("RGBA"), "PNG")
    save("palette.png", small.convert("P"), "PNG")
    save("bilevel.png", small.convert("1"), "PNG")
    save("grey16.png", small.convert("I;16"), "PNG")
    save("interlaced.png", small, "PNG", interlace=1)
    palette = small.convert("P")
    palette.info["transparency"] = 0
    save("palette-trns.png", palette, "PNG")
    save("lossy.webp", small, "WEBP", quality=60)
    save("lossless.webp", small, "WEBP", lossless=True)
    save("alpha.webp", small.convert("RGBA"), "WEBP", quality=60)


def safetensors(entries, metadata=None):
    """entries: list of (name, dtype, shape, bytes) in data order."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name, dtype, shape, data in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(e[3] for e in entries)


def safetensors_seeds():
    f32 = struct.pack("<6f", 0.5, -1, 2, 3.25, 1e-3, -7)
    f16 = struct.pack("<4e", 0.5, -1, 65504, 1e-4)
    write("safetensors", "f32.safetensors", safetensors([("weight", "F32", [2, 3], f32)]))
    write("safetensors", "mixed.safetensors", safetensors(
        [("a", "F32", [6], f32), ("b", "F16", [2, 2], f16), ("c", "BF16", [2], b"\x80\x3f\x00\xc0"),
         ("d", "I8", [3], b"\x01\xff\x7f"), ("e", "U8", [0], b""), ("f", "F64", [1], struct.pack("<d", 2.5)),
         ("g", "I64", [1], struct.pack("<q", -3)), ("h", "BOOL", [2], b"\x00\x01")],
        {"format": "pt", "note": "seed"}))
    write("safetensors", "scalar.safetensors", safetensors([("s", "F32", [], struct.pack("<f", 1))]))
    write("safetensors", "empty.safetensors", safetensors([], {}))


def model_cards():
    models = os.path.join(ROOT, "Models")
    cards = {}
    for name in sorted(os.listdir(models)):
        if not name.endswith(".safetensors"):
            continue
        with open(os.path.join(models, name), "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(n))
        card = header["__metadata__"]["emocl_card"]
        cards[name] = card
        write("model-card", name.replace(".safetensors", "-card.json"), card)
    card = cards.get("logreg.safetensors") or next(iter(cards.values()))
    weight = struct.pack("<2e", 0.25, -0.5)
    write("model-card", "tiny-model.safetensors", safetensors(
        [("weight", "F16", [1, 2], weight)], {"emocl_card": card}))


def cut_cascade(file, stages, name):
    tree = ET.parse(os.path.join(CASCADES, file))
    cascade = tree.getroot()[0]
    stage_list = cascade.find("stages")
    for extra in list(stage_list)[stages:]:
        stage_list.remove(extra)
    cascade.find("stageNum").text = str(stages)
    features = list(cascade.find("features"))
    used = {}
    for node in stage_list.iter("internalNodes"):
        values = node.text.split()
        for k in range(0, len(values), 4):
            old = int(values[k + 2])
            values[k + 2] = str(used.setdefault(old, len(used)))
        node.text = " ".join(values)
    feature_list = cascade.find("features")
    for feature in features:
        feature_list.remove(feature)
    for old, _ in sorted(used.items(), key=lambda item: item[1]):
        feature_list.append(features[old])
    body = ET.tostring(tree.getroot(), encoding="unicode")
    write("cascade-xml", name, '<?xml version="1.0"?>\n<!-- cut from ' + file + " -->\n" + body)


def cascade_seeds():
    cut_cascade("haarcascade_frontalface_default.xml", 2, "frontalface-default-2-stages.xml")
    cut_cascade("haarcascade_frontalface_alt2.xml", 2, "frontalface-alt2-2-stages.xml")
    cut_cascade("haarcascade_eye.xml", 1, "eye-1-stage.xml")
    cut_cascade("haarcascade_frontalface_alt_tree.xml", 1, "frontalface-alt-tree-1-stage.xml")
    cut_cascade("haarcascade_profileface.xml", 1, "profileface-1-stage.xml")


def text_seeds():
    crlf = "\r\n"
    write("multipart", "one-file.txt", "multipart/form-data; boundary=XyZzy\n--XyZzy" + crlf
          + 'Content-Disposition: form-data; name="image"; filename="a.jpg"' + crlf
          + "Content-Type: image/jpeg" + crlf + crlf + "\xff\xd8\xff data" + crlf + "--XyZzy--" + crlf)
    write("multipart", "two-parts.txt", 'multipart/form-data; boundary="a;b\\"c"\n'
          + "preamble" + crlf + '--a;b"c' + crlf + 'Content-Disposition: form-data; name="tag"'
          + crlf + crlf + "x" + crlf + '--a;b"c  ' + crlf + crlf + "no headers" + crlf
          + '--a;b"c--epilogue')
    write("multipart", "browser.txt", "Multipart/Form-Data; charset=utf-8; boundary=----WebKitFormBoundary7MA4YWxk\n"
          + "------WebKitFormBoundary7MA4YWxk" + crlf
          + 'content-disposition: form-data; name="images"; filename="b.png"' + crlf + crlf
          + "\x89PNG" + crlf + "------WebKitFormBoundary7MA4YWxk" + crlf
          + 'Content-Disposition: form-data; name="images"; filename="c.webp"' + crlf + crlf
          + "RIFF" + crlf + "------WebKitFormBoundary7MA4YWxk--")
    write("multipart", "truncated.txt", "multipart/form-data; boundary=q\n--q" + crlf
          + "Content-Disposition: attachment" + crlf + crlf + "body")
    for i, q in enumerate([
        "tag=holiday&from=2026-01-01T00:00:00Z&to=2026-12-31T23:59:59.5%2B01:00&format=csv",
        "boxes=%5B%5B0,0,48,48%5D,%5B10,20,30,40%5D%5D&max_faces=8&flip=no",
        "boxes=[[1,2,3,4]]&boxes=[[1.0,2e1,3,4]]&after=17&flip=TRUE",
        "tag=a%0Ab&max_faces=999999999999999999999&after=-1&format=xml&from=x",
        "from=2026-02-29T00:00:00Z&to=1970-01-01T00:00:00Z",
        "boxes=[[true,false,1,1]]&tag=%E2%82%AC&to=9999-12-31t23:59:59.999999999z",
    ]):
        write("query", f"query-{i}.txt", q)
    for i, t in enumerate([
        "2026-11-27T09:00:00Z", "1970-01-01T00:00:00.000001Z", "2024-02-29t23:59:59.123456789+14:00",
        "0000-03-01 00:00:00-23:59", "9999-12-31T23:59:59.999999Z", "2023-02-29T00:00:00Z",
        "2026-11-27T24:00:00Z", "2026-11-27T09:00:00.Z",
    ]):
        write("rfc3339", f"time-{i}.txt", t)
    # Inputs of fixed fuzz findings (docs/fuzzing.md).
    write("rfc3339", "regression-format-int64-min.bin", struct.pack("<q", -(2**63)))
    write("rfc3339", "regression-offset-before-year-0.txt", "0000-01-01T00:00:00+00:01")
    write("rfc3339", "regression-offset-after-year-9999.txt", "9999-12-31T23:59:59-00:01")
    write("database-url", "regression-port-0.txt", "postgres://u:pw@host:0/db")
    write("database-url", "regression-port-99999.txt", "postgres://u:pw@host:99999/db")
    write("rfc3339", "micros-max.bin", struct.pack("<q", 2**63 - 1))
    for i, u in enumerate([
        "sqlite:data/emocl.sqlite", "sqlite:///tmp/x.sqlite", "sqlite:",
        "postgres://emocl:s3cret@127.0.0.1:5432/emocl?sslmode=disable",
        "postgresql://user%40corp:p%3Ass@[::1]:6543/db?sslmode=require&application_name=x",
        "postgres://h/db",
        "postgres://u@host/db?sslmode=verify-full", "postgres://:@/",
    ]):
        write("database-url", f"url-{i}.txt", u)


if __name__ == "__main__":
    images()
    safetensors_seeds()
    model_cards()
    cascade_seeds()
    text_seeds()
    print("seeds written to", os.path.abspath(OUT), file=sys.stderr)
