import CBLAS
import Tensor

// The QR factorisation the randomised SVD needs (the Tensor layer has eigen and SVD, not QR),
// through LAPACKE on row-major Float32 buffers.

private let rowMajor = Int32(LAPACK_ROW_MAJOR)
private func flag(_ c: Character) -> CChar { CChar(c.asciiValue!) }

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

/// Runs a Tensor-layer decomposition, reporting its LAPACK failures as `ClassicalError`.
func lapack<R>(_ body: () throws(TensorError) -> R) throws -> R {
  do {
    return try body()
  } catch .lapack(let routine, let info) {
    throw ClassicalError.lapackFailure(routine: routine, info: info)
  } catch {
    throw ClassicalError.invalidParameters("decomposition failed: \(error)")
  }
}
