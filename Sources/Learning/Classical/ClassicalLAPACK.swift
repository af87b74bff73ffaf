import CBLAS
import Tensor

// LAPACK decompositions the classical models need, called through LAPACKE on row-major Float32
// buffers. Kept private to this module until the Tensor layer's wrappers land.

private let rowMajor = Int32(LAPACK_ROW_MAJOR)
private func flag(_ c: Character) -> CChar { CChar(c.asciiValue!) }

/// The `count` largest eigenvalues (descending) and their unit eigenvectors as rows
/// `[count, n]` of the symmetric `n×n` matrix `matrix` (row-major; destroyed), via `ssyevr`.
func largestEigenpairs(
  of matrix: inout [Float], n: Int, count: Int
) throws -> (values: [Float], vectors: [Float]) {
  var found: Int32 = 0
  var values = [Float](repeating: 0, count: n)
  // Column-major view of the row-major eigenvector matrix: z is [n, count], columns = vectors.
  var z = [Float](repeating: 0, count: n * count)
  var support = [Int32](repeating: 0, count: 2 * max(1, count))
  let info = matrix.withUnsafeMutableBufferPointer { a in
    LAPACKE_ssyevr(
      rowMajor, flag("V"), flag("I"), flag("U"), Int32(n), a.baseAddress!, Int32(n), 0, 0,
      Int32(n - count + 1), Int32(n), 0, &found, &values, &z, Int32(count), &support)
  }
  guard info == 0, Int(found) == count else {
    throw ClassicalError.lapackFailure(routine: "ssyevr", info: Int(info))
  }
  // ssyevr returns ascending order: reverse to descending and transpose to rows.
  var vectors = [Float](repeating: 0, count: count * n)
  for k in 0..<count {
    let source = count - 1 - k
    for i in 0..<n { vectors[k * n + i] = z[i * count + source] }
  }
  return (Array(values[0..<count].reversed()), vectors)
}

/// Replaces the `rows×columns` matrix (rows ≥ columns, row-major) by an orthonormal basis of
/// its column space (the Q of a thin QR), via `sgeqrf` + `sorgqr`.
func orthonormalizeColumns(_ matrix: inout [Float], rows: Int, columns: Int) throws {
  var tau = [Float](repeating: 0, count: columns)
  var info = matrix.withUnsafeMutableBufferPointer { a in
    LAPACKE_sgeqrf(rowMajor, Int32(rows), Int32(columns), a.baseAddress!, Int32(columns), &tau)
  }
  guard info == 0 else { throw ClassicalError.lapackFailure(routine: "sgeqrf", info: Int(info)) }
  info = matrix.withUnsafeMutableBufferPointer { a in
    LAPACKE_sorgqr(
      rowMajor, Int32(rows), Int32(columns), Int32(columns), a.baseAddress!, Int32(columns), &tau)
  }
  guard info == 0 else { throw ClassicalError.lapackFailure(routine: "sorgqr", info: Int(info)) }
}

/// Thin SVD of the `rows×columns` matrix (row-major; destroyed) via `sgesdd`: singular values
/// (descending), `u` `[rows, r]` and `vt` `[r, columns]` with `r = min(rows, columns)`.
func thinSVD(
  _ matrix: inout [Float], rows: Int, columns: Int
) throws -> (u: [Float], singularValues: [Float], vt: [Float]) {
  let r = min(rows, columns)
  var s = [Float](repeating: 0, count: r)
  var u = [Float](repeating: 0, count: rows * r)
  var vt = [Float](repeating: 0, count: r * columns)
  let info = matrix.withUnsafeMutableBufferPointer { a in
    LAPACKE_sgesdd(
      rowMajor, flag("S"), Int32(rows), Int32(columns), a.baseAddress!, Int32(columns), &s, &u,
      Int32(r), &vt, Int32(columns))
  }
  guard info == 0 else { throw ClassicalError.lapackFailure(routine: "sgesdd", info: Int(info)) }
  return (u, s, vt)
}
