#!/usr/bin/env bash
# GEMM throughput, float32: Emocl's sgemm (cblas_sgemm of the system OpenBLAS) against NumPy's
# matmul (its bundled OpenBLAS) at the same shapes and thread counts, measured in this run.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which this machine may set for the old system OpenBLAS,
# slow a current NumPy: they are unset for the NumPy command alone.
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
bin="${EMOCL_BENCH_BIN:-$PWD/.build/release/emocl-bench}"
python="${EMOCL_PYTHON:-$(bash Scripts/bench-venv.sh)}"
threads="${EMOCL_BENCH_THREADS:-1,2}"
repeats="${EMOCL_BENCH_REPEATS:-7}"  # best of this many timed batches, after a warm-up

ours="$("$bin" gemm --threads "$threads" --repeats "$repeats")"
theirs="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" Scripts/bench/gemm_numpy.py --threads "$threads" --repeats "$repeats")"

grep '^#' <<<"$ours" || true
grep '^#' <<<"$theirs" || true
awk -F'\t' '
  FNR == 1 { file++ }
  /^#/ || $1 == "shape" { next }
  file == 1 { ours[$1 FS $5] = $6; order[++rows] = $1 FS $5; next }
  { theirs[$1 FS $5] = $6 }
  END {
    printf "%-18s %7s %14s %14s %7s\n", "shape", "threads", "Emocl GFLOP/s", "NumPy GFLOP/s", "ratio"
    for (i = 1; i <= rows; i++) {
      split(order[i], key, FS)
      peer = theirs[order[i]]
      ratio = (peer > 0) ? sprintf("%.2f", ours[order[i]] / peer) : "n/a"
      printf "%-18s %7s %14s %14s %7s\n", key[1], key[2], ours[order[i]], peer, ratio
    }
  }' <(printf '%s\n' "$ours") <(printf '%s\n' "$theirs")
