import CBLAS

/// A numerical check of the BLAS kernels in use: sgemm at small and medium odd sizes with every
/// transposition, padded leading dimensions and non-trivial alpha and beta, and sgemv both ways
/// with strides, each compared with a naive product in Double. About a millisecond.
package enum BLASSelfTest {
  /// `C = alpha · op(A) · op(B) + beta · C`, row-major, as ``sgemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
  package typealias GEMM =
    @Sendable (
      _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
      _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) -> Void
  /// `y = alpha · op(A) · x + beta · y`, row-major `A` of `m` rows and `n` columns.
  package typealias GEMV =
    @Sendable (
      _ trans: Transpose, _ m: Int, _ n: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
      _ lda: Int, _ x: UnsafePointer<Float>, _ incx: Int, _ beta: Float,
      _ y: UnsafeMutablePointer<Float>, _ incy: Int
    ) -> Void

  /// OpenBLAS's `cblas_sgemm`.
  package static let openBLASGEMM: GEMM = {
    transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
    cblas_sgemm(
      CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha, a,
      Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// OpenBLAS's `cblas_sgemv`.
  package static let openBLASGEMV: GEMV = { trans, m, n, alpha, a, lda, x, incx, beta, y, incy in
    cblas_sgemv(
      CblasRowMajor, trans.cblas, Int32(m), Int32(n), alpha, a, Int32(lda), x, Int32(incx), beta,
      y, Int32(incy))
  }

  /// `(m, n, k)` of the sgemm checks: edge cases of the micro-kernels, and one product large
  /// enough for OpenBLAS to split between threads.
  static let gemmShapes = [
    (1, 1, 1), (2, 3, 4), (7, 5, 3), (17, 13, 9), (33, 31, 35), (61, 47, 53), (67, 71, 73),
  ]
  /// `(m, n)` of the sgemv checks.
  static let gemvShapes = [(1, 1), (5, 3), (37, 53), (64, 129)]
  /// `(alpha, beta)` pairs, used in turn.
  static let scalings: [(Float, Float)] = [(1, 0), (0.75, 0.5), (-1.25, 1)]

  /// Runs every check with `gemm` and `gemv` (OpenBLAS's unless a test passes others); stops at
  /// the first wrong result.
  package static func run(
    gemm: GEMM = openBLASGEMM, gemv: GEMV = openBLASGEMV
  ) -> BLASSelfTestResult {
    var generator = SelfTestNumbers(seed: 0x5EED)
    var checks = 0
    for (m, n, k) in gemmShapes {
      for transA in [Transpose.none, .transposed] {
        for transB in [Transpose.none, .transposed] {
          checks += 1
          let (alpha, beta) = scalings[checks % scalings.count]
          let pad = checks % 2 == 0 ? 0 : 3
          let check = GEMMCheck(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta, pad: pad,
            generator: &generator)
          if let failure = check.failure(gemm: gemm) {
            return BLASSelfTestResult(checks: checks, failure: failure)
          }
        }
      }
    }
    for (m, n) in gemvShapes {
      for trans in [Transpose.none, .transposed] {
        checks += 1
        let (alpha, beta) = scalings[checks % scalings.count]
        let check = GEMVCheck(
          trans: trans, m: m, n: n, alpha: alpha, beta: beta, incx: 1 + checks % 2,
          incy: 1 + 2 * (checks % 2), generator: &generator)
        if let failure = check.failure(gemv: gemv) {
          return BLASSelfTestResult(checks: checks, failure: failure)
        }
      }
    }
    return BLASSelfTestResult(checks: checks, failure: nil)
  }

  /// Whether `value` is within the rounding error a Float32 sum of `terms` can make of
  /// `reference` (their absolute values' sum is `magnitude`).
  static func close(_ value: Float, _ reference: Double, magnitude: Double, terms: Int) -> Bool {
    guard value.isFinite else { return false }
    let tolerance = 4 * Double(terms + 2) * Double(Float.ulpOfOne) * magnitude + 1e-30
    return abs(Double(value) - reference) <= tolerance
  }
}
