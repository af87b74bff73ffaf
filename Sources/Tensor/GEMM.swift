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

/// `batch` independent products `C[i] = alpha * op(A[i]) * op(B[i]) + beta * C[i]`, where matrix
/// `i` of each operand starts `i * stride` elements after its base pointer. A stride of 0 reuses
/// one matrix for the whole batch (e.g. convolution weights `[Cout, K]` against per-image columns
/// `[N][K, HW]`). Each product is one `cblas_sgemm` call, threaded by OpenBLAS.
@inlinable
public func sgemmBatched(
  _ transA: Transpose, _ transB: Transpose,
  batch: Int, m: Int, n: Int, k: Int,
  alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int, strideA: Int,
  b: UnsafePointer<Float>, ldb: Int, strideB: Int,
  beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int
) {
  for index in 0..<batch {
    sgemm(
      transA, transB, m: m, n: n, k: k, alpha: alpha,
      a: a + index * strideA, lda: lda, b: b + index * strideB, ldb: ldb,
      beta: beta, c: c + index * strideC, ldc: ldc)
  }
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

  /// `self = alpha · op(a) · op(b) + beta · self` into this rank-2 tensor's existing storage, so
  /// training loops reuse one output buffer and accumulate gradients with `beta: 1`.
  public mutating func gemmInPlace(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0
  ) {
    precondition(a.rank == 2 && b.rank == 2 && rank == 2, "gemmInPlace needs rank-2 tensors")
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    precondition(k == k2, "gemmInPlace inner dimensions differ: \(a.shape) · \(b.shape)")
    precondition(shape == [m, n], "gemmInPlace output \(shape) is not [\(m), \(n)]")
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        storage.withUnsafeMutableBufferPointer { pc in
          sgemm(
            transposeA ? .transposed : .none, transposeB ? .transposed : .none,
            m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: a.shape[1],
            b: pb.baseAddress!, ldb: b.shape[1], beta: beta, c: pc.baseAddress!, ldc: n)
        }
      }
    }
  }

  /// The batch of products `op(self[i]) · op(other[i])`, shape `[batch, m, n]`.
  ///
  /// Either operand may be rank 3 (`[batch, rows, columns]`, one matrix per batch item) or rank 2
  /// (one matrix shared by every item); at least one is rank 3. Transposition applies to each
  /// matrix, not to the batch axis.
  public func batchedMatmul(
    _ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false
  ) -> Tensor {
    precondition(
      (rank == 2 || rank == 3) && (other.rank == 2 || other.rank == 3)
        && (rank == 3 || other.rank == 3),
      "batchedMatmul needs rank-3 (or one shared rank-2) tensors, got \(shape), \(other.shape)")
    let batch = rank == 3 ? shape[0] : other.shape[0]
    if rank == 3 && other.rank == 3 {
      precondition(
        shape[0] == other.shape[0], "batchedMatmul batch sizes differ: \(shape), \(other.shape)")
    }
    let rowsA = shape[rank - 2]
    let columnsA = shape[rank - 1]
    let rowsB = other.shape[other.rank - 2]
    let columnsB = other.shape[other.rank - 1]
    let (m, k) = transposeSelf ? (columnsA, rowsA) : (rowsA, columnsA)
    let (k2, n) = transposeOther ? (columnsB, rowsB) : (rowsB, columnsB)
    precondition(k == k2, "batchedMatmul inner dimensions differ: \(shape) · \(other.shape)")
    var result = Tensor(shape: [batch, m, n])
    storage.withUnsafeBufferPointer { a in
      other.storage.withUnsafeBufferPointer { b in
        result.storage.withUnsafeMutableBufferPointer { c in
          guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else {
            return
          }
          sgemmBatched(
            transposeSelf ? .transposed : .none, transposeOther ? .transposed : .none,
            batch: batch, m: m, n: n, k: k,
            a: pa, lda: columnsA, strideA: rank == 3 ? rowsA * columnsA : 0,
            b: pb, ldb: columnsB, strideB: other.rank == 3 ? rowsB * columnsB : 0,
            c: pc, ldc: n, strideC: m * n)
        }
      }
    }
    return result
  }
}
