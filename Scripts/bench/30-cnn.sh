#!/usr/bin/env bash
# CNN speed: the VGG-style network (4 stages of 32/64/128/256 channels, 44x44 grey input) in
# Emocl against PyTorch on the CPU, on 1 and on 2 threads, measured in this run: training
# images/s (batch 64, SGD Nesterov, label smoothing) with the peak memory of the training
# process, evaluation images/s (batch 64) and batch-1 latency. Ours splits each batch between
# the workers (OpenBLAS single-threaded); batch 1 uses as many OpenBLAS threads as the run.
# Each figure is the best of EMOCL_BENCH_REPEATS timed blocks after a warm-up. Then where our
# training time goes: per layer kind, thread-CPU ms per image and GFLOP/s beside one thread's
# sgemm rate. The load average is printed: other processes on the cores distort both sides.
# On CPUs with AVX-512 VNNI, the shipped model's 8-bit form (`emocl-bench cnn-int8`: as served,
# on FER2013 val batches of 64, network passes per second, the float form beside it) is set
# beside PyTorch's float inference too.
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
bin="${EMOCL_BENCH_BIN:-$PWD/.build/release/emocl-bench}"
python="${EMOCL_PYTHON:-$(bash Scripts/bench-venv.sh)}"
repeats="${EMOCL_BENCH_REPEATS:-3}"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
value() { awk -v k="$1" '$1 == k {print $2}' <<<"$2"; }
for threads in 1 2; do
  echo "-- $threads thread(s)"
  theirs="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" Scripts/bench/30-cnn-torch.py --threads "$threads" --repeats "$repeats")"
  ours="$("$bin" cnn-train --workers "$threads" --steps 5 --repeats "$repeats")
$("$bin" cnn-infer --workers "$threads" --latency-threads "$threads" --repeats "$repeats" --forward-only)"
  for key in train_images_per_s infer_images_per_s latency_ms train_peak_rss_mb; do
    o="$(value "$key" "$ours")"
    t="$(value "$key" "$theirs")"
    case "$key" in
      latency_ms) awk -v k="$key" -v o="$o" -v t="$t" 'BEGIN { printf "%-20s ours %9.3f  PyTorch %9.3f  speed ratio (PyTorch/ours) %.2f\n", k, o, t, t / o }' ;;
      train_peak_rss_mb) awk -v k="$key" -v o="$o" -v t="$t" 'BEGIN { printf "%-20s ours %9.0f  PyTorch %9.0f  (whole process; goal: ours under 4096)\n", k, o, t }' ;;
      *) awk -v k="$key" -v o="$o" -v t="$t" 'BEGIN { printf "%-20s ours %9.1f  PyTorch %9.1f  ratio (ours/PyTorch) %.2f\n", k, o, t, o / t }' ;;
    esac
  done
  val="${EMOCL_SHARED:-$PWD/../shared}/datasets/fer2013/val"
  if grep -qw avx512_vnni /proc/cpuinfo && [ -d "$val" ]; then
    int8="$("$bin" cnn-int8 --workers "$threads" --data "$val" --limit 0 --rounds "$((repeats * 2))")"
    grep -E '^(images/s|one image)' <<<"$int8" | sed 's/^/  shipped model: /'
    o="$(value int8_passes_per_s "$int8")"
    t="$(value infer_images_per_s "$theirs")"
    awk -v o="$o" -v t="$t" 'BEGIN { printf "%-20s ours %9.1f  PyTorch %9.1f  ratio (ours/PyTorch) %.2f  (int8 on VNNI against float32)\n", "infer_int8_passes_per_s", o, t, o / t }'
  fi
done
echo "-- where training time goes (2 workers)"
"$bin" cnn-train --workers 2 --steps 5 --repeats "$repeats" --profile | sed -n '/^profile/,$p'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
