#!/usr/bin/env bash
# The CVideo shim under AddressSanitizer and UndefinedBehaviorSanitizer: COPIES (default 1500)
# seeded random damages (1-16 bytes changed, a quarter also truncated) of every seed in
# Tests/FuzzCorpus/video/, each opened from memory, up to 64 frames decoded and converted (grey
# and RGB alternately). Prints inputs, opened, frames; a sanitizer report stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
clang -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
  -ISources/CVideo/include -ISources/CVideo Scripts/fuzz/video-shim-asan.c Sources/CVideo/*.c \
  -lavformat -lavcodec -lswscale -lavutil -lm -o "$out/video-shim-asan"
"$out/video-shim-asan" "${1:-1500}" Tests/FuzzCorpus/video/*
