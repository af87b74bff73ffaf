#!/usr/bin/env bash
# `make fuzz`: builds emocl-fuzz with libFuzzer and AddressSanitizer, then runs each target for
# FUZZ_SECONDS (default 60) over its working corpus, seeded from Tests/FuzzCorpus/<target>/.
#
#   FUZZ_SECONDS=600 FUZZ_TARGETS="image multipart" bash Scripts/fuzz/run.sh
#
# Working corpora grow in ~/.cache/emocl/fuzz/<target>/, crashes land in
# ~/.cache/emocl/fuzz/crashes/<target>/, logs in ~/.cache/emocl/fuzz/logs/<target>.log.
# Replay a crash with the sanitizer build:  .build-fuzz/release/emocl-fuzz TARGET FILE
# or without it:  swift build --product emocl-fuzz && .build/debug/emocl-fuzz TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"image multipart query rfc3339 database-url safetensors model-card cascade-xml video"}
CACHE=${FUZZ_CACHE:-$HOME/.cache/emocl/fuzz}
SCRATCH=.build-fuzz

# gold (swiftc's default linker here) fails on libFuzzer with an internal error; link with lld
# instead through an `ld.gold` on PATH. `-use-ld=lld` or a toolset would do it too, but they change
# every compile command, so nothing already built with the sanitizer would be reused.
mkdir -p "$SCRATCH/linker"
printf '#!/bin/sh\nexec %s "$@"\n' "$(dirname "$(command -v swift)")/ld.lld" >"$SCRATCH/linker/ld.gold"
chmod +x "$SCRATCH/linker/ld.gold"
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  # -Xcc instruments the C targets too (the CCodecs and CVideo shims, and C code of the
  # dependencies): without it they had neither AddressSanitizer checks nor coverage feedback.
  PATH="$PWD/$SCRATCH/linker:$PATH" swift build -c release -Xswiftc -sanitize=fuzzer,address \
    -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -DFUZZING --scratch-path "$SCRATCH" \
    --product emocl-fuzz
fi
FUZZER="$SCRATCH/release/emocl-fuzz"

# Swift's crash backtracer would take seconds per crash; libFuzzer prints its own stack.
export SWIFT_BACKTRACE=enable=no
mkdir -p "$CACHE/logs"
status=0
for target in $TARGETS; do
  corpus="$CACHE/$target"
  crashes="$CACHE/crashes/$target"
  log="$CACHE/logs/$target.log"
  mkdir -p "$corpus" "$crashes"
  cp -n Tests/FuzzCorpus/"$target"/* "$corpus"/ 2>/dev/null || true
  echo "fuzzing $target for ${SECONDS_PER_TARGET}s (log $log)"
  if ! "$FUZZER" "$target" -max_len="$("$FUZZER" --max-len "$target")" -rss_limit_mb=2048 \
    -timeout=25 -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1; then
    echo "  $target: crash or failure, see $log and $crashes/"
    status=1
  fi
done

printf '\n%-14s %14s %9s %10s %8s\n' target executions exec/s corpus crashes
for target in $TARGETS; do
  log="$CACHE/logs/$target.log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  units=$(find "$CACHE/$target" -type f | wc -l)
  found=$(find "$CACHE/crashes/$target" -type f | wc -l)
  printf '%-14s %14s %9s %10s %8s\n' "$target" "${runs:-?}" "${speed:-?}" "$units" "$found"
done
exit $status
