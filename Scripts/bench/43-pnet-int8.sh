#!/usr/bin/env bash
# MTCNN in 8 bits (AVX-512 VNNI) against the float networks, on the same 1-megapixel photo as
# 41-cnn-faces.sh (08_couple.jpg, Pillow box filter to 1155x866): float; P-Net's second half in 8
# bits (`cnn-faces --int8-pnet`); R- and O-Net in 8 bits (`--int8-refine`); both. They alternate,
# 3 rounds of 21 detections each (median per round), on 2 threads and on 1, since this machine's
# timings drift between minutes. Then how far the int8 P-Net's face probabilities are from the
# float ones on the shared photos (`emocl-bench pnet-int8-error`), and the faces found on
# generated scenes (`detector-scenes`, seed 1) by each form. Skipped on CPUs without AVX-512 VNNI.
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"
: "${EMOCL_BENCH_BIN:=$PWD/.build/release/emocl-bench}"
: "${EMOCL_PYTHON:=$(bash "$(dirname "$0")/../bench-venv.sh")}"
photos="${EMOCL_SHARED:-$PWD/../shared}/datasets/photos"
if [ ! -f "$photos/08_couple.jpg" ]; then echo "skipped: no $photos/08_couple.jpg"; exit 0; fi
if ! grep -qw avx512_vnni /proc/cpuinfo; then echo "skipped: this CPU has no AVX-512 VNNI"; exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
w=1155; h=866; raw="$work/photo.rgb"
EMOCL_PYTHON="$EMOCL_PYTHON" bash "$(dirname "$0")/../bench-raw-photo.sh" "$photos/08_couple.jpg" "$raw" "$w" "$h"
modes="float int8-pnet int8-refine int8-pnet+int8-refine"
flags() { [ "$1" = float ] && return; echo "--${1//+/ --}"; }
echo "threads	8 bits	round	ms (median of 21)"
for round in 1 2 3; do
  for threads in 2 1; do
    for mode in $modes; do
      # shellcheck disable=SC2046 # the flags are words
      ms=$("$EMOCL_BENCH_BIN" cnn-faces --raw "$raw" --width "$w" --height "$h" --threads "$threads" \
        --repeats 21 $(flags "$mode") | awk '/^ms/ {print $2}')
      echo "$threads	$mode	$round	$ms"
    done
  done
done
"$EMOCL_BENCH_BIN" pnet-int8-error "$photos"/*.jpg "$photos"/*.png
val="${EMOCL_SHARED:-$PWD/../shared}/datasets/fer2013/val"
if [ -d "$val" ]; then
  for mode in $modes; do
    # shellcheck disable=SC2046
    found=$("$EMOCL_BENCH_BIN" detector-scenes --data "$val" --models Models --detector cnn \
      --scenes 200 --seed 1 $(flags "$mode") | awk '$1 == "faces_found" || $1 == "false_positives" {printf "%s %s  ", $1, $2 " " $3}')
    echo "scenes (seed 1)	$mode	$found"
  done
fi
