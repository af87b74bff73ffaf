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
  ///
  /// Axes that stay adjacent and in order are merged first, so NCHW↔NHWC becomes a batch of
  /// cache-blocked matrix transposes (`[C, HW]` ↔ `[HW, C]` per image).
  public func permuted(_ axes: [Int]) -> Tensor {
    precondition(
      axes.count == rank && axes.sorted() == Array(0..<rank),
      "axes \(axes) are not a permutation of the \(rank) axes of \(shape)")
    let newShape = axes.map { shape[$0] }
    var result = Tensor(shape: newShape)
    guard count > 0 else { return result }
    let (mergedShape, mergedAxes) = Tensor.mergeAxes(shape: shape, axes: axes)
    storage.withUnsafeBufferPointer { xb in
      result.storage.withUnsafeMutableBufferPointer { ob in
        let x = xb.baseAddress!
        let out = ob.baseAddress!
        switch mergedAxes {
        case [], [0]:
          out.update(from: x, count: count)
        case [1, 0]:
          Tensor.transposeMatrices(
            batch: 1, rows: mergedShape[0], columns: mergedShape[1], x, out)
        case [0, 2, 1]:
          Tensor.transposeMatrices(
            batch: mergedShape[0], rows: mergedShape[1], columns: mergedShape[2], x, out)
        default:
          Tensor.gather(shape: mergedShape, axes: mergedAxes, x, out)
        }
      }
    }
    return result
  }

  /// Drops unit axes and merges runs of output axes that are consecutive in the source, giving
  /// the smallest equivalent source shape and permutation.
  private static func mergeAxes(shape: [Int], axes: [Int]) -> (shape: [Int], axes: [Int]) {
    let kept = axes.filter { shape[$0] != 1 }
    // Groups of source axes, in output order.
    var groups: [[Int]] = []
    for axis in kept {
      if let last = groups.last?.last, axis == last + 1 {
        groups[groups.count - 1].append(axis)
      } else {
        groups.append([axis])
      }
    }
    let sourceOrder = groups.indices.sorted { groups[$0][0] < groups[$1][0] }
    let mergedShape = sourceOrder.map { groups[$0].reduce(1) { $0 * shape[$1] } }
    var mergedAxes = [Int](repeating: 0, count: groups.count)
    for (position, group) in sourceOrder.enumerated() {
      mergedAxes[group] = position
    }
    return (mergedShape, mergedAxes)
  }

  /// `batch` row-major `[rows, columns]` matrices transposed to `[columns, rows]`.
  private static func transposeMatrices(
    batch: Int, rows: Int, columns: Int, _ x: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>
  ) {
    let size = rows * columns
    for index in 0..<batch {
      cblas_somatcopy(
        CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), 1, x + index * size,
        Int32(columns), out + index * size, Int32(rows))
    }
  }

  /// The general permutation: walks the output in order, gathering from the source.
  private static func gather(
    shape: [Int], axes: [Int], _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>
  ) {
    let rank = shape.count
    var sourceStrides = [Int](repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) {
      sourceStrides[axis] = sourceStrides[axis + 1] * shape[axis + 1]
    }
    let newShape = axes.map { shape[$0] }
    // `steps[i]` is how far the source moves per step of output axis i.
    let steps = axes.map { sourceStrides[$0] }
    let total = shape.reduce(1, *)
    let innermost = rank - 1
    let innerLength = newShape[innermost]
    let innerStep = steps[innermost]
    var index = [Int](repeating: 0, count: rank)
    var source = 0
    var target = 0
    while target < total {
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
