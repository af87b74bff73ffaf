import CBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
  case none
  case transposed

  @usableFromInline var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// `C = alpha * op(A) * op(B) + beta * C` on row-major Float32 buffers, through OpenBLAS's
/// `cblas_sgemm`. `op(A)` is `m×k`, `op(B)` is `k×n`, `C` is `m×n`; `lda`, `ldb`, `ldc` are the
/// row strides of the buffers as stored (before transposition).
///
/// Empty products are handled here (BLAS rejects a zero leading dimension): with `m` or `n` zero
/// nothing is touched, with `k` zero `C` becomes `beta * C`.
@inlinable
public func sgemm(
  _ transA: Transpose, _ transB: Transpose,
  m: Int, n: Int, k: Int,
  alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    for row in 0..<m {
      let line = c + row * ldc
      for column in 0..<n { line[column] = beta == 0 ? 0 : beta * line[column] }
    }
    return
  }
  cblas_sgemm(
    CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

extension Tensor {
  /// The matrix product `op(self) · op(other)` of two rank-2 tensors.
  public func matmul(
    _ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false
  ) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2, "matmul needs rank-2 tensors, got \(shape), \(other.shape)")
    let (m, k) = transposeSelf ? (shape[1], shape[0]) : (shape[0], shape[1])
    let (k2, n) =
      transposeOther ? (other.shape[1], other.shape[0]) : (other.shape[0], other.shape[1])
    precondition(k == k2, "matmul inner dimensions differ: \(shape) · \(other.shape)")
    var result = Tensor(shape: [m, n])
    storage.withUnsafeBufferPointer { a in
      other.storage.withUnsafeBufferPointer { b in
        result.storage.withUnsafeMutableBufferPointer { c in
          sgemm(
            transposeSelf ? .transposed : .none, transposeOther ? .transposed : .none,
            m: m, n: n, k: k, a: a.baseAddress!, lda: shape[1], b: b.baseAddress!,
            ldb: other.shape[1], c: c.baseAddress!, ldc: n)
        }
      }
    }
    return result
  }
}
