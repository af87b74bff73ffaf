#!/usr/bin/env bash
# Writes PHOTO as raw 8-bit RGB (row-major, interleaved) resized to WIDTH x HEIGHT with Pillow's
# box filter, for the detection benches that give both sides the same pixels
# (`emocl-bench cnn-faces --raw`). Usage: bench-raw-photo.sh PHOTO OUT WIDTH HEIGHT; EMOCL_PYTHON
# is the bench venv's python (Scripts/bench-venv.sh).
set -euo pipefail
"${EMOCL_PYTHON:?set EMOCL_PYTHON (Scripts/bench-venv.sh)}" - "$@" <<'PY'
import sys
from PIL import Image
img = Image.open(sys.argv[1]).convert("RGB").resize((int(sys.argv[3]), int(sys.argv[4])), Image.BOX)
open(sys.argv[2], "wb").write(img.tobytes())
PY
