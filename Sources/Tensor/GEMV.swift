import CBLAS

/// `y = alpha * op(A) * x + beta * y` on a row-major Float32 matrix, through OpenBLAS's
/// `cblas_sgemv`. `A` is `m×n` as stored (row stride `lda`); `x` has `n` elements (`m` when
/// transposed) and `y` the other extent. Cheaper than ``sgemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
/// for one or two vectors: a GEMM would first pack the whole matrix.
@inlinable
public func sgemv(
  _ trans: Transpose = .none, m: Int, n: Int, alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
  beta: Float = 0, y: UnsafeMutablePointer<Float>
) {
  if m == 0 || n == 0 { return }
  cblas_sgemv(
    CblasRowMajor, trans.cblas, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
}
