#!/usr/bin/env python3
"""NumPy's float32 GEMM throughput at the shapes of `emocl-bench gemm`, as the peer figure of
Scripts/bench/10-gemm.sh. Same output format: tab-separated shape, m, n, k, threads, gflops.
Threads are limited with threadpoolctl; timing is the best of several repeats after a warm-up,
with short calls batched to about 50 ms like the Swift side."""
import argparse
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

SHAPES = [("1024x1024x1024", 1024, 1024, 1024), ("64x576*576x2304", 64, 2304, 576)]


def best_time(repeats, body):
    body()
    start = time.perf_counter()
    body()
    once = time.perf_counter() - start
    calls = max(1, int(0.05 / max(once, 1e-6)))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            body()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    for info in blas:
        print(f"# numpy {np.__version__}: {info.get('internal_api')} {info.get('version')}, "
              f"core {info.get('architecture')}")
    print("shape\tm\tn\tk\tthreads\tgflops")
    rng = np.random.default_rng(42)
    for name, m, n, k in SHAPES:
        a = rng.uniform(-1, 1, size=(m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, size=(k, n)).astype(np.float32)
        c = np.empty((m, n), dtype=np.float32)
        for threads in [int(t) for t in args.threads.split(",")]:
            with threadpool_limits(limits=threads, user_api="blas"):
                seconds = best_time(args.repeats, lambda: np.matmul(a, b, out=c))
            gflops = 2.0 * m * n * k / seconds / 1e9
            print(f"{name}\t{m}\t{n}\t{k}\t{threads}\t{gflops:.1f}")


if __name__ == "__main__":
    main()
