#!/usr/bin/env bash
# `make bench`: every benchmark section in Scripts/bench/, in order, each printing our figure,
# the peer's figure measured in the same run, and their ratio. Needs a release build of
# `emocl` and `emocl-bench` (`make bench` builds both).
set -euo pipefail
cd "$(dirname "$0")/.."
export EMOCL_PYTHON="$(bash Scripts/bench-venv.sh)"
export EMOCL_BIN="$PWD/.build/release/emocl"
export EMOCL_BENCH_BIN="$PWD/.build/release/emocl-bench"
bash Scripts/bench-info.sh
for section in Scripts/bench/*.sh; do
  echo "== $(basename "$section" .sh)"
  bash "$section"
done
