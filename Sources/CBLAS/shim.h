// OpenBLAS's CBLAS interface (sgemm, thread control) and LAPACKE (eigen/singular values).
#include <cblas.h>
#include <lapacke.h>
