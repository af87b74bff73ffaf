#!/usr/bin/env bash
# Soak: the service under a mixed load for a long time (default 10 minutes, 16 connections): a
# 48x48 face, a 1-megapixel photo, a batch of 4 images, bad inputs (text as an image, a bad
# query value), and reads (the record list, statistics, CSV). Prints requests/s, p50/p99, the
# server's answers by status (from its /metrics), errors (any 5xx, any 4xx other than the 400 and
# 415 the bad inputs must get, socket errors and timeouts) and the server's resident memory at
# the start, after a warm-up of the same mix (SOAK_WARMUP seconds, default 60: thread arenas,
# caches and the database's first pages settle there) and at the end. Goal (issue 10): 0 errors,
# memory growth within 10% over the measured run (from the warm-up's end).
#
# Environment: SOAK_SECONDS (default 600), SOAK_WARMUP (default 60), SOAK_CONNECTIONS (default
# 16), EMOCL_MODELS.
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
bin="${EMOCL_BIN:-$PWD/.build/release/emocl}"
python="${EMOCL_PYTHON:-$(bash Scripts/bench-venv.sh)}"
seconds="${SOAK_SECONDS:-600}"
warmup="${SOAK_WARMUP:-60}"
connections="${SOAK_CONNECTIONS:-16}"
models="${EMOCL_MODELS:-$PWD/Models}"
"$bin" info 2>/dev/null || true

if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2
fi
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server"; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

shared=""
for dir in "${EMOCL_SHARED:-}" ../shared ../../shared /work/shared; do
  if [ -n "$dir" ] && [ -d "$dir/datasets/photos" ]; then shared="$dir"; break; fi
done
[ -n "$shared" ] || { echo "75-soak: ../shared datasets missing" >&2; exit 1; }
faces=("$shared"/datasets/fer2013/val/happy/*.jpg)
cp "${faces[0]}" "$work/face.jpg"
"$python" - "$shared/datasets/photos/08_couple.jpg" "$work" <<'PY'
import pathlib, sys
from PIL import Image, ImageOps
work = pathlib.Path(sys.argv[2])
image = ImageOps.exif_transpose(Image.open(sys.argv[1])).convert("RGB")
scale = (1_000_000 / (image.width * image.height)) ** 0.5
image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS).save(work / "photo.jpg", quality=90)
# A multipart batch of four images (three faces and the photo).
b = b"emocl-soak-boundary"
parts = [b"--" + b + b'\r\nContent-Disposition: form-data; name="images"; filename="' + n.encode()
         + b'"\r\nContent-Type: image/jpeg\r\n\r\n' + (work / n).read_bytes() + b"\r\n"
         for n in ["face.jpg", "face.jpg", "photo.jpg", "face.jpg"]]
(work / "batch.bin").write_bytes(b"".join(parts) + b"--" + b + b"--\r\n")
PY

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin" serve --port "$port" --models "$models" --database "sqlite:$work/soak.sqlite" --log-level warning 2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }

# The request mix, taken in turn by each connection.
cat >"$work/mix.lua" <<LUA
local dir = "$work/"
local function read(name) local f = assert(io.open(dir .. name, "rb")); local d = f:read("*a"); f:close(); return d end
local face, photo, batch = read("face.jpg"), read("photo.jpg"), read("batch.bin")
local mix = {
  {"POST", "/api/v1/analyze?tag=soak", face, "image/jpeg"},
  {"POST", "/api/v1/analyze?tag=soak", face, "image/jpeg"},
  {"POST", "/api/v1/analyze?tag=soak&store=false", photo, "image/jpeg"},
  {"POST", "/api/v1/analyze/batch?tag=soak", batch, "multipart/form-data; boundary=emocl-soak-boundary"},
  {"POST", "/api/v1/analyze?store=false", "not an image at all", "image/jpeg"},
  {"POST", "/api/v1/analyze?max_faces=0", face, "image/jpeg"},
  {"GET", "/api/v1/analyses?limit=50", nil, nil},
  {"GET", "/api/v1/stats?tag=soak&bucket=hour", nil, nil},
  {"GET", "/api/v1/analyses?limit=200&format=csv", nil, nil},
}
local counter = 0
request = function()
  counter = counter + 1
  local m = mix[(counter % #mix) + 1]
  local headers = {}
  if m[4] then headers["Content-Type"] = m[4] end
  return wrk.format(m[1], m[2], headers, m[3])
end
LUA
first_rss=$(rss)
wrk -t 2 -c "$connections" -d "${warmup}s" --timeout 10s -s "$work/mix.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 || true
start_rss=$(rss)
echo "soak: ${seconds}s, ${connections} connections, server RSS ${first_rss} kB at start, ${start_rss} kB after a ${warmup}s warm-up"
wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 10s --latency -s "$work/mix.lua" \
  "http://127.0.0.1:$port" >"$work/wrk.txt" 2>&1 || true
end_rss=$(rss)
cat "$work/wrk.txt"
curl -s "http://127.0.0.1:$port/metrics" >"$work/metrics.txt"
# Answers by status, from the server's own counters.
grep -E '^emocl_http_requests_total' "$work/metrics.txt" \
  | sed -E 's/.*status="([0-9]+)".* ([0-9]+)$/\1 \2/' \
  | awk '{ s[$1] += $2 } END { for (k in s) printf "status %s: %d\n", k, s[k] }' | sort | tee "$work/status.txt"
bad=$(awk '$2 ~ /^5/ || ($2 ~ /^4/ && $2 != "400:" && $2 != "415:") { gsub(":", "", $2); n += $3 } END { print n + 0 }' "$work/status.txt")
awk -v s="$start_rss" -v e="$end_rss" -v bad="$bad" '
  /Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
  /Socket errors/ { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
  END { printf "soak: %.1f requests/s  p50 %s  p99 %s  errors %d (unexpected statuses %d, socket errors and timeouts %d)  RSS %d -> %d kB (%+.1f%%)\n", rps, p50, p99, bad + sock, bad, sock + 0, s, e, (e - s) * 100 / s }
' "$work/wrk.txt"
