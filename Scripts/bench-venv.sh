#!/usr/bin/env bash
# Makes (once) the Python venv that holds the benchmark peers and fixture generators, outside the
# repository: ~/.cache/emocl/venv. Prints its python path. `make test` never uses it.
set -euo pipefail
venv="${EMOCL_VENV:-$HOME/.cache/emocl/venv}"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv" >&2; fi
want=(numpy pillow "opencv-python-headless<5" scikit-learn safetensors torch threadpoolctl)
if ! "$venv/bin/python" -c "import numpy, PIL, cv2, sklearn, safetensors, torch, threadpoolctl" 2>/dev/null; then
  "$venv/bin/pip" install -q "${want[@]}" >&2
fi
echo "$venv/bin/python"
