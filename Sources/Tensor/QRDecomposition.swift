import CBLAS

private let rowMajor = Int32(LAPACK_ROW_MAJOR)

/// Replaces the `rows × columns` row-major matrix (rows ≥ columns) by an orthonormal basis of
/// its column space: the Q of a thin QR factorisation, via LAPACK's `sgeqrf` + `sorgqr`. Used
/// by the randomised SVD's range finder.
///
/// - Throws: `TensorError.invalidArgument` for a wide or mis-sized matrix,
///   `TensorError.lapack` when a routine fails.
public func orthonormalizeColumns(_ matrix: inout [Float], rows: Int, columns: Int)
  throws(TensorError)
{
  guard rows >= columns, columns >= 0, matrix.count == rows * columns else {
    throw .invalidArgument(
      operation: "orthonormalizeColumns",
      reason: "\(matrix.count) values for \(rows)×\(columns) (rows must be ≥ columns)")
  }
  guard columns > 0 else { return }
  var tau = [Float](repeating: 0, count: columns)
  var info = matrix.withUnsafeMutableBufferPointer { a in
    LAPACKE_sgeqrf(rowMajor, Int32(rows), Int32(columns), a.baseAddress!, Int32(columns), &tau)
  }
  guard info == 0 else { throw .lapack(routine: "sgeqrf", info: Int(info)) }
  info = matrix.withUnsafeMutableBufferPointer { a in
    LAPACKE_sorgqr(
      rowMajor, Int32(rows), Int32(columns), Int32(columns), a.baseAddress!, Int32(columns), &tau)
  }
  guard info == 0 else { throw .lapack(routine: "sorgqr", info: Int(info)) }
}
