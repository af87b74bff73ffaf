import CBLAS

/// `a = u · diag(singularValues) · vt` for an `[m, n]` matrix, with `r = min(m, n)` (thin) or
/// full square factors.
public struct SingularValueDecomposition: Sendable, Equatable {
  /// Left singular vectors as columns, shape `[m, r]` (thin) or `[m, m]` (full).
  public let u: Tensor
  /// Singular values, non-negative and descending, shape `[r]`.
  public let singularValues: Tensor
  /// Right singular vectors as rows, shape `[r, n]` (thin) or `[n, n]` (full): the principal
  /// axes of a centred data matrix.
  public let vt: Tensor
}

extension Tensor {
  /// The singular value decomposition of this `[m, n]` matrix by LAPACK's divide-and-conquer
  /// `sgesdd`. Thin by default (`u` is `[m, r]`, `vt` is `[r, n]`, `r = min(m, n)`); `full`
  /// gives square `u` and `vt`.
  ///
  /// Signs are fixed as scikit-learn's `svd_flip`: each column of `u` has its largest-magnitude
  /// entry positive, with the matching row of `vt` flipped alongside, so the product is unchanged
  /// and results are reproducible. Throws for an empty or non-finite matrix or a LAPACK failure.
  public func svd(full: Bool = false) throws(TensorError) -> SingularValueDecomposition {
    let operation = "svd"
    guard rank == 2 else { throw .rankMismatch(operation: operation, expected: 2, shape: shape) }
    let (m, n) = (shape[0], shape[1])
    guard m > 0 && n > 0 else { throw .empty(operation: operation, shape: shape) }
    guard m <= Int(Int32.max) / Swift.max(m, n), n <= Int(Int32.max) / Swift.max(m, n) else {
      throw .invalidShape(shape)
    }
    guard isFinite else { throw .nonFinite(operation: operation) }
    let r = Swift.min(m, n)
    let uColumns = full ? m : r
    let vtRows = full ? n : r

    var matrix = storage
    var values = Tensor(shape: [r])
    var u = Tensor(shape: [m, uColumns])
    var vt = Tensor(shape: [vtRows, n])
    let info = matrix.withUnsafeMutableBufferPointer { a in
      values.storage.withUnsafeMutableBufferPointer { s in
        u.storage.withUnsafeMutableBufferPointer { pu in
          vt.storage.withUnsafeMutableBufferPointer { pvt in
            LAPACKE_sgesdd(
              LAPACK_ROW_MAJOR, CChar(UInt8(ascii: full ? "A" : "S")), Int32(m), Int32(n),
              a.baseAddress, Int32(n), s.baseAddress, pu.baseAddress, Int32(uColumns),
              pvt.baseAddress, Int32(n))
          }
        }
      }
    }
    guard info == 0 else { throw .lapack(routine: "sgesdd", info: Int(info)) }

    let flipped = u.normalizeColumnSigns()
    vt.storage.withUnsafeMutableBufferPointer { x in
      for row in 0..<Swift.min(vtRows, flipped.count) where flipped[row] {
        for j in 0..<n { x[row * n + j] = -x[row * n + j] }
      }
    }
    return SingularValueDecomposition(u: u, singularValues: values, vt: vt)
  }
}
