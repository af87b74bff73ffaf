#!/usr/bin/env bash
# Loading FER2013 train (28,709 48x48 JPEGs) into one uint8 array of grey pixels.
# Ours: `emocl-bench data` (first load decodes with a fresh, empty cache; the cached load reads
# the binary cache). Peer: Pillow decoding every file with a multiprocessing pool of 2 into a
# NumPy array. Both list the same files in the same order; both find them in the OS page cache
# after the first of the two runs, so the peer runs first and warms it for both.
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
shared="${EMOCL_SHARED:-$(cd .. && pwd)/shared}"
dir="$shared/datasets/fer2013/train"
if [ ! -d "$dir" ]; then
  echo "skipped: $dir not found (set EMOCL_SHARED)"
  exit 0
fi
: "${EMOCL_BIN:=$PWD/.build/release/emocl}"
: "${EMOCL_BENCH_BIN:=$PWD/.build/release/emocl-bench}"
: "${EMOCL_PYTHON:?set EMOCL_PYTHON (make bench does)}"

peer=$("$EMOCL_PYTHON" Scripts/bench/20-data-peer.py "$dir")
ours=$("$EMOCL_BENCH_BIN" data "$dir")
echo "$ours" | sed -n 's/^images /images: /p'
first=$(echo "$ours" | awk '/^first_load_s/ {print $2}')
cached=$(echo "$ours" | awk '/^cached_load_s/ {print $2}')
listing=$(echo "$ours" | awk '/^listing_s/ {print $2}')
peer_s=$(echo "$peer" | awk '/^load_s/ {print $2}')
echo "$peer" | sed -n 's/^images /peer images: /p'
echo "machine load average (1 min) during the run: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
echo "ours: listing and stat of every file ${listing} s (inside each load)"
awk -v f="$first" -v c="$cached" -v p="$peer_s" 'BEGIN {
  printf "first load (decode, 2 cores):  ours %.3f s   peer (Pillow, Pool(2)) %.3f s   peer/ours %.2fx\n", f, p, p / f
  printf "cached load:                   ours %.3f s   peer (Pillow, Pool(2)) %.3f s   peer/ours %.2fx\n", c, p, p / c
}'
