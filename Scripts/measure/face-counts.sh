#!/usr/bin/env bash
# Face counts of `emocl predict` with each detector (--detector cnn|haar, default options
# otherwise) on the 8 shared photos, against the true counts in labels.csv ("about 7" counts as
# 7). Prints one line per photo and, per detector, how many photos it counts exactly right and
# the total absolute error. Needs a release build of emocl.
set -euo pipefail
cd "$(dirname "$0")/../.."
photos="${EMOCL_SHARED:-$PWD/../shared}/datasets/photos"
bin="${EMOCL_BIN:-$PWD/.build/release/emocl}"
for detector in cnn haar; do
  "$bin" predict --detector "$detector" --format json "$photos"/*.jpg "$photos"/*.png \
    > "/tmp/emocl-face-counts-$detector.json" || true
done
python3 - "$photos/labels.csv" <<'PY'
import csv, json, os, re, sys
labels = {r["file"]: int(re.match(r"\D*(\d+)", r["faces"]).group(1))
          for r in csv.DictReader(open(sys.argv[1]))}
counts = {}
for detector in ("cnn", "haar"):
    records = json.load(open(f"/tmp/emocl-face-counts-{detector}.json"))
    counts[detector] = {os.path.basename(r["image"]): len(r.get("faces", [])) for r in records}
print(f"{'photo':28} {'true':>4} {'cnn':>4} {'haar':>4}")
for f, n in sorted(labels.items()):
    print(f"{f:28} {n:4} {counts['cnn'].get(f, -1):4} {counts['haar'].get(f, -1):4}")
for d in ("cnn", "haar"):
    right = sum(counts[d].get(f) == n for f, n in labels.items())
    error = sum(abs(counts[d].get(f, 0) - n) for f, n in labels.items())
    print(f"{d}: {right}/{len(labels)} photos exactly right, total absolute count error {error}")
PY
