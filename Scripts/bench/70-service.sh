#!/usr/bin/env bash
# Web service: requests/s and p50/p99 latency of POST /api/v1/analyze (raw JPEG body, store=true,
# the default model: the shipped CNN, with its test-time flip on, then off) with a 48x48 FER2013
# face and with a 1-megapixel photo, at 1, 8 and 32 connections (wrk, same machine, 2 threads), against a fresh SQLite file; then the
# photo again with the server's detector set to the Haar cascades (`--detector haar`). Beside it the
# CNN's own batch-64 images/s (`emocl-bench cnn-infer`, and on AVX-512 VNNI CPUs `cnn-int8`, the
# 8-bit form the service runs there by default): the ceiling for whole-face requests.
#
# Peer: a Python service doing the same (Flask under gunicorn with 2 workers, OpenCV's Haar detector
# and the `fer` package's model) was measured on this machine once, as issue 6 records: 60 requests/s
# for a 48x48 face and 3 requests/s for a 1-megapixel photo. It is NOT rebuilt or re-measured here;
# its figures are printed as a fixed reference.
#
# Environment: EMOCL_BENCH_SECONDS (per wrk run, default 10), EMOCL_MODELS (default Models/),
# EMOCL_BENCH_PORT (default: a free port), EMOCL_SERVE_FLAGS (more `emocl serve` flags, e.g.
# --int8-pnet). The load average is printed: other processes on the
# 2 cores slow the server down.
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
bin="${EMOCL_BIN:-$PWD/.build/release/emocl}"
bench_bin="${EMOCL_BENCH_BIN:-$PWD/.build/release/emocl-bench}"
python="${EMOCL_PYTHON:-$(bash Scripts/bench-venv.sh)}"
seconds="${EMOCL_BENCH_SECONDS:-10}"
models="${EMOCL_MODELS:-$PWD/Models}"
peer_face=60
peer_photo=3

if ! command -v wrk >/dev/null; then
  echo "installing wrk" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2
fi
if [ ! -f "$models/cnn.safetensors" ]; then
  echo "70-service: no $models/cnn.safetensors (set EMOCL_MODELS to a folder with the CNN)" >&2
  exit 1
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server"
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Inputs: the first FER2013 validation face (48x48 grey JPEG) and a shared photo scaled to 1 MP.
shared=""
for dir in "${EMOCL_SHARED:-}" ../shared ../../shared /work/shared; do
  if [ -n "$dir" ] && [ -d "$dir/datasets/photos" ]; then shared="$dir"; break; fi
done
[ -n "$shared" ] || { echo "70-service: ../shared datasets missing" >&2; exit 1; }
faces_found=("$shared"/datasets/fer2013/val/happy/*.jpg)
face="${faces_found[0]}"
photo_source="$shared/datasets/photos/08_couple.jpg"
"$python" - "$photo_source" "$work/photo.jpg" <<'EOF'
import sys
from PIL import Image, ImageOps
image = ImageOps.exif_transpose(Image.open(sys.argv[1])).convert("RGB")
scale = (1_000_000 / (image.width * image.height)) ** 0.5
image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS).save(
    sys.argv[2], quality=90)
EOF
cp "$face" "$work/face.jpg"

port="${EMOCL_BENCH_PORT:-$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
# Starts the server with the CNN's test-time flip on (the default: each face and its mirror
# image) or off (half the network's work per face).
start_server() {
  # shellcheck disable=SC2086 # the flags are words
  "$bin" serve --port "$port" --models "$models" --database "sqlite:$work/bench.sqlite" \
    --flip "$1" --log-level warning ${2:-} ${EMOCL_SERVE_FLAGS:-} 2>"$work/server.log" &
  server=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

cat >"$work/post.lua" <<'EOF'
-- POST the file named by the first script argument as the raw body.
function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  wrk.headers["Content-Type"] = "image/jpeg"
  f:close()
end
EOF

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# flip on and off with the default detector (MTCNN), then the photo with the Haar cascades.
for run in on/face,photo off/face,photo haar/photo; do
flip=on; detector=""; label="${run%%/*}"
case "$label" in off) flip=off ;; haar) detector="--detector haar" ;; esac
start_server "$flip" "$detector"
names="${run#*/}"
for name in ${names//,/ }; do
  tag="$name"
  if [ "$label" = haar ]; then tag="$name-haar"; fi
  size="$("$python" -c "from PIL import Image; i = Image.open('$work/$name.jpg'); print(f'{i.width}x{i.height}')")"
  faces="$(curl -s --data-binary "@$work/$name.jpg" -H 'Content-Type: image/jpeg' \
    "http://127.0.0.1:$port/api/v1/analyze?store=false" | "$python" -c 'import json, sys; print(len(json.load(sys.stdin)["faces"]))')"
  echo "-- POST /api/v1/analyze?store=true, $name $size ($faces face(s)), flip $flip${detector:+, $detector}, ${seconds}s per level"
  for connections in 1 8 32; do
    threads=$((connections < 2 ? 1 : 2))
    wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s --latency \
      -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/analyze?store=true&tag=bench" \
      "$work/$name.jpg" >"$work/wrk.txt"
    awk -v c="$connections" -v name="$tag/$flip" '
      /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
      /Requests\/sec/ { rps = $2 }
      /Non-2xx/ { bad += $5 }
      /Socket errors/ { gsub(",", ""); bad += $4 + $6 + $8 + $10 }
      END { printf "%-13s %2d connections: %8.1f requests/s  p50 %8s  p99 %8s  errors %d\n", name, c, rps, p50, p99, bad + 0 }
    ' "$work/wrk.txt" | tee -a "$work/results.txt"
  done
done
stop_server
done
ceiling="$("$bench_bin" cnn-infer --workers 2 --steps 3 --singles 10 --repeats 2 --forward-only | awk '$1 == "infer_images_per_s" {print $2}')"
echo "ceiling: CNN alone (float32), batch 64, 2 workers: ${ceiling} images/s"
val="${EMOCL_SHARED:-$PWD/../shared}/datasets/fer2013/val"
if grep -qw avx512_vnni /proc/cpuinfo && [ -d "$val" ]; then
  # What the service runs by default on this CPU: the shipped model in 8 bits.
  int8="$("$bench_bin" cnn-int8 --workers 2 --data "$val" --limit 0 --rounds 3 | awk '$1 == "int8_passes_per_s" {print $2}')"
  echo "ceiling: CNN alone (int8, as served here), batch 64, 2 workers: ${int8} images/s"
fi
echo "peer (fixed reference from issue 6, not measured in this run): Flask + gunicorn (2 workers) +" \
  "OpenCV Haar + fer: ${peer_face} requests/s (48x48 face), ${peer_photo} requests/s (1 MP photo)"
best() { awk -v n="$1" '$1 == n { if ($4 > b) b = $4 } END { print b + 0 }' "$work/results.txt"; }
awk -v o="$(best face/on)" -v t="$peer_face" 'BEGIN { printf "face   best requests/s (flip on): ours %.1f  peer %d  ratio (ours/peer) %.1f\n", o, t, o / t }'
awk -v o="$(best photo/on)" -v t="$peer_photo" 'BEGIN { printf "photo  best requests/s (flip on): ours %.1f  peer %d  ratio (ours/peer) %.1f\n", o, t, o / t }'
awk -v o="$(best photo-haar/on)" -v t="$peer_photo" 'BEGIN { printf "photo, --detector haar, best requests/s (flip on): ours %.1f  peer %d  ratio (ours/peer) %.1f\n", o, t, o / t }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
