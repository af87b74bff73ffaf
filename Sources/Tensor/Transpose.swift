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

  /// The axes reordered: result axis `i` is axis `axes[i]` of `self` (NumPy's `transpose`),
  /// e.g. `[0, 2, 3, 1]` turns NCHW into NHWC. `axes` must be a permutation of `0..<rank`.
  public func permuted(_ axes: [Int]) -> Tensor {
    precondition(
      axes.count == rank && axes.sorted() == Array(0..<rank),
      "axes \(axes) are not a permutation of the \(rank) axes of \(shape)")
    if rank == 2 && axes == [1, 0] { return transposed() }
    let sourceStrides = strides
    let newShape = axes.map { shape[$0] }
    // Walk the output in order; `steps[i]` is how far the source moves per output index i.
    let steps = axes.map { sourceStrides[$0] }
    var result = Tensor(shape: newShape)
    guard count > 0 else { return result }
    let innermost = rank - 1
    storage.withUnsafeBufferPointer { x in
      result.storage.withUnsafeMutableBufferPointer { out in
        if rank == 0 {
          out[0] = x[0]
          return
        }
        var index = [Int](repeating: 0, count: rank)
        var source = 0
        var target = 0
        let innerLength = newShape[innermost]
        let innerStep = steps[innermost]
        while target < out.count {
          for i in 0..<innerLength { out[target + i] = x[source + i * innerStep] }
          target += innerLength
          // Advance the odometer over the outer output axes.
          var axis = innermost - 1
          while axis >= 0 {
            index[axis] += 1
            source += steps[axis]
            if index[axis] < newShape[axis] { break }
            source -= steps[axis] * newShape[axis]
            index[axis] = 0
            axis -= 1
          }
        }
      }
    }
    return result
  }
}
