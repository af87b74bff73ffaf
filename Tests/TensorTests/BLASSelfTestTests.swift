import Tensor
import Testing

@Suite struct BLASSelfTestTests {
  @Test func kernelsInUsePass() {
    let result = BLASSelfTest.run()
    #expect(result.passed, "\(result.failure ?? "")")
    #expect(result.checks > 30)
  }

  @Test func wrongSgemmIsCaught() {
    // Correct except for the last column of C, which it leaves alone.
    let dropsLastColumn: BLASSelfTest.GEMM = {
      tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
      let keep = (0..<m).map { c[$0 * ldc + n - 1] }
      BLASSelfTest.openBLASGEMM(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
      if n > 3 { for row in 0..<m { c[row * ldc + n - 1] = keep[row] } }
    }
    let result = BLASSelfTest.run(gemm: dropsLastColumn)
    #expect(!result.passed)
    #expect(result.failure?.hasPrefix("sgemm") == true)
  }

  @Test func slightlyWrongSgemmIsCaught() {
    // A relative error of 1e-3 in one element: far above Float32 rounding.
    let perturbed: BLASSelfTest.GEMM = { tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
      BLASSelfTest.openBLASGEMM(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
      if m * n > 100 { c[ldc + 1] *= 1.001 }
    }
    #expect(!BLASSelfTest.run(gemm: perturbed).passed)
  }

  @Test func sgemmWritingPaddingIsCaught() {
    let scribbles: BLASSelfTest.GEMM = { tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
      BLASSelfTest.openBLASGEMM(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
      if ldc > n { c[n] = 0 }
    }
    #expect(!BLASSelfTest.run(gemm: scribbles).passed)
  }

  @Test func wrongSgemvIsCaught() {
    let ignoresBeta: BLASSelfTest.GEMV = { trans, m, n, alpha, a, lda, x, incx, _, y, incy in
      BLASSelfTest.openBLASGEMV(trans, m, n, alpha, a, lda, x, incx, 0, y, incy)
    }
    let result = BLASSelfTest.run(gemv: ignoresBeta)
    #expect(!result.passed)
    #expect(result.failure?.hasPrefix("sgemv") == true)
  }

  @Test func statusReportsTheKernelsInUse() {
    let status = BLASKernel.status
    #expect(status.core == BLAS.coreName)
    #expect(status.selfTest.passed)
    #expect(status.summary.hasPrefix(BLAS.coreName))
  }
}
