#!/usr/bin/env bash
# CNN speed: the VGG-style network (4 stages of 32/64/128/256 channels, 44x44 grey input) in
# Emocl against PyTorch on the CPU, both on 2 threads, measured in this run: training images/s
# (batch 64, SGD Nesterov, label smoothing), evaluation images/s (batch 64) and batch-1 latency.
# Ours splits each batch between 2 workers (OpenBLAS single-threaded); batch 1 uses 2 OpenBLAS
# threads. Each figure is the best of EMOCL_BENCH_REPEATS timed blocks after a warm-up. The
# load average is printed: other processes on the 2 cores distort both sides.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${EMOCL_BIN:-$PWD/.build/release/emocl}"
python="${EMOCL_PYTHON:-$(bash Scripts/bench-venv.sh)}"
repeats="${EMOCL_BENCH_REPEATS:-3}"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
theirs="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" Scripts/bench/30-cnn-torch.py --threads 2 --repeats "$repeats")"
ours="$("$bin" bench cnn-train --workers 2 --steps 5 --repeats "$repeats")
$("$bin" bench cnn-infer --workers 2 --repeats "$repeats")"
value() { awk -v k="$1" '$1 == k {print $2}' <<<"$2"; }
for key in train_images_per_s infer_images_per_s latency_ms; do
  o="$(value "$key" "$ours")"
  t="$(value "$key" "$theirs")"
  if [ "$key" = latency_ms ]; then
    awk -v k="$key" -v o="$o" -v t="$t" 'BEGIN { printf "%-20s ours %9.3f  PyTorch %9.3f  speed ratio (PyTorch/ours) %.2f\n", k, o, t, t / o }'
  else
    awk -v k="$key" -v o="$o" -v t="$t" 'BEGIN { printf "%-20s ours %9.1f  PyTorch %9.1f  ratio (ours/PyTorch) %.2f\n", k, o, t, o / t }'
  fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
