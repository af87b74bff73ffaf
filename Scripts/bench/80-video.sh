#!/usr/bin/env bash
# Video: every frame of a 640x360 H.264 clip analysed, Emocl (`emocl-bench video --fps all`:
# FFmpeg decoding, face detection every k frames with tracking in between — MTCNN, the
# product's default, and Haar on a second line — the bundled CNN on every tracked face,
# smoothing) against fer's per-frame loop (OpenCV VideoCapture + Haar + its
# Keras model, Scripts/bench/80-video-peer.py), in the same run on the same file. The clip is
# the shared single_face.mp4 (640x360, 30 frames/s, 2.4 s) looped 5 times without re-encoding
# (12 s, 360 frames). The peer runs in its own venv (~/.cache/emocl/venv-fer: the fer wheel
# without its dependencies, tensorflow-cpu, opencv-python-headless, pandas, tqdm, pillow, requests).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash Scripts/bench-info.sh
bin="${EMOCL_BENCH_BIN:-$PWD/.build/release/emocl-bench}"
clip_source="${EMOCL_SHARED:-$PWD/../shared}/datasets/videos/single_face.mp4"
if [ ! -f "$clip_source" ]; then echo "skipped: no $clip_source"; exit 0; fi
venv="${EMOCL_FER_VENV:-$HOME/.cache/emocl/venv-fer}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --no-deps fer==22.5.1 >&2
  "$venv/bin/pip" install -q tensorflow-cpu "opencv-python-headless<5" pandas tqdm pillow requests >&2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
clip="$work/clip.mp4"
if command -v ffmpeg >/dev/null; then
  ffmpeg -hide_banner -loglevel error -stream_loop 4 -i "$clip_source" -an -c copy "$clip"
else
  echo "(no ffmpeg command: the 2.4 s clip itself, not looped)"
  cp "$clip_source" "$clip"
fi
repeats="${EMOCL_BENCH_REPEATS:-3}"

ours="$("$bin" video "$clip" --models Models --model cnn --fps all --repeats "$repeats" --detector cnn)"
haar="$("$bin" video "$clip" --models Models --model cnn --fps all --repeats "$repeats" --detector haar)"
theirs="$(TF_CPP_MIN_LOG_LEVEL=3 "$venv/bin/python" Scripts/bench/80-video-peer.py "$clip" \
  --repeats "$repeats" 2>/dev/null | grep '^frames/s')"
echo "emocl (cnn detector): $ours"
echo "emocl (haar):         $haar"
echo "fer:                  $theirs"
awk -v a="$(cut -f2 <<<"$ours")" -v h="$(cut -f2 <<<"$haar")" -v b="$(cut -f2 <<<"$theirs")" \
  'BEGIN { printf "every frame, 640x360 H.264: Emocl %.1f frames/s (Haar %.1f), fer %.1f frames/s, ratio %.1fx (Haar %.1fx)\n", a, h, b, a / b, h / b }'
