#!/usr/bin/env bash
# Prints `emocl info` (version, CPU, BLAS kernels in use, threads, sgemm speed, models, database)
# at the top of a bench section, so every figure comes with the machine and kernels it was
# measured on. Uses $EMOCL_BIN, else this repository's release build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${EMOCL_BIN:-$root/.build/release/emocl}"
echo "-- emocl info"
"$bin" info
echo "--"
