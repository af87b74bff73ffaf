import CBLAS

extension Tensor {
  /// The transpose of a rank-2 tensor, `[rows, columns]` to `[columns, rows]`, through
  /// OpenBLAS's cache-blocked `somatcopy`.
  public func transposed() -> Tensor {
    precondition(rank == 2, "transposed needs a rank-2 tensor, got \(shape)")
    let (rows, columns) = (shape[0], shape[1])
    var result = Tensor(shape: [columns, rows])
    guard rows > 0 && columns > 0 else { return result }
    storage.withUnsafeBufferPointer { a in
      result.storage.withUnsafeMutableBufferPointer { b in
        cblas_somatcopy(
          CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), 1, a.baseAddress!,
          Int32(columns), b.baseAddress!, Int32(rows))
      }
    }
    return result
  }
}
