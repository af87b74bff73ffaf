// OpenBLAS's CBLAS interface (sgemm, thread control) and LAPACKE (eigen/singular values).
#include <cblas.h>
#include <lapacke.h>
// CPUID/XGETBV, to choose OpenBLAS's kernels from the CPU's features (Tensor's BLASKernel).
#include "emocl_cpu.h"
