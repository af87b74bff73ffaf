#!/usr/bin/env bash
# Classical models, fit seconds on FER2013 train (28,709 images, 2,304 pixels): Emocl against
# scikit-learn on the same folder with the same thread count, both measured in this run.
#   logreg          one-vs-rest L2 logistic regression, C=1, 100 L-BFGS iterations
#   pca / pca-randomized   250 components of the standardised pixels
#   svm             RBF SVC, C=10, gamma "scale", one-vs-one, on the 250 PCA components
# Wall and CPU seconds are both printed: on a shared machine CPU seconds compare more fairly.
# EMOCL_BENCH_CLASSICAL_TASKS picks a subset (the full run takes several minutes per side).
set -euo pipefail
bash "$(dirname "$0")/../bench-info.sh"  # the machine and BLAS kernels this section runs on
cd "$(dirname "$0")/../.."
bin="${EMOCL_BENCH_BIN:-$PWD/.build/release/emocl-bench}"
python="${EMOCL_PYTHON:-$(bash Scripts/bench-venv.sh)}"
data="${EMOCL_SHARED:-../shared}/datasets/fer2013/train"
tasks="${EMOCL_BENCH_CLASSICAL_TASKS:-logreg,pca,pca-randomized,svm}"
threads="${EMOCL_BENCH_THREADS:-2}"

ours="$("$bin" classical "$data" --tasks "$tasks" --threads "$threads")"
theirs="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" Scripts/bench/30-classical-peer.py "$data" --tasks "$tasks" --threads "$threads")"

awk -F'\t' '
  FNR == 1 { file++; next }
  file == 1 { wall[$1] = $2; cpu[$1] = $3; order[++rows] = $1; next }
  { peerWall[$1] = $2; peerCPU[$1] = $3 }
  END {
    printf "%-15s %12s %12s %12s %12s %9s %9s\n", "task", "Emocl wall", "sklearn wall", \
      "Emocl CPU", "sklearn CPU", "wall x", "CPU x"
    for (i = 1; i <= rows; i++) {
      t = order[i]
      printf "%-15s %12s %12s %12s %12s %9.2f %9.2f\n", t, wall[t], peerWall[t], cpu[t], \
        peerCPU[t], peerWall[t] / wall[t], peerCPU[t] / cpu[t]
    }
    print "(x = scikit-learn seconds / Emocl seconds: above 1 means Emocl is faster)"
  }' <(printf '%s\n' "$ours") <(printf '%s\n' "$theirs")
