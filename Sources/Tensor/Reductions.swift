// Reductions over the whole tensor and along one axis. Sums accumulate in Double so that long
// reductions (a whole dataset's column sums) keep Float precision; contiguous runs are summed
// in SIMD Float blocks of 512 first, so they vectorise instead of waiting on one Double add. In max/argmax NaN elements
// never win a comparison; a slice of only NaN gives -infinity at index 0.

extension Tensor {
  /// The sum of all elements (0 for an empty tensor).
  public func sum() -> Float {
    storage.withUnsafeBufferPointer { x in Float(Tensor.blockSum(x)) }
  }

  /// The sum of a contiguous run: SIMD Float partial sums over blocks of 512 elements (error
  /// bounded by the block, not the run), each block added to a Double total.
  @usableFromInline
  static func blockSum(_ x: UnsafeBufferPointer<Float>) -> Double {
    guard let base = x.baseAddress else { return 0 }
    let block = 512
    var total: Double = 0
    var start = 0
    while start < x.count {
      let end = Swift.min(start + block, x.count)
      var lanes = SIMD16<Float>()
      var index = start
      while index + 16 <= end {
        lanes += UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<Float>.self)
        index += 16
      }
      var rest: Float = 0
      while index < end {
        rest += base[index]
        index += 1
      }
      total += Double(lanes.sum()) + Double(rest)
      start = end
    }
    return total
  }

  /// The mean of all elements (NaN for an empty tensor).
  public func mean() -> Float {
    storage.withUnsafeBufferPointer { x in Float(Tensor.blockSum(x) / Double(x.count)) }
  }

  /// The variance of all elements about their mean, divided by `count - ddof` (0: population
  /// variance as NumPy's default; 1: the unbiased sample variance).
  public func variance(ddof: Int = 0) -> Float {
    storage.withUnsafeBufferPointer { x in
      let mean = Tensor.blockSum(x) / Double(x.count)
      var squares: Double = 0
      for value in x {
        let deviation = Double(value) - mean
        squares += deviation * deviation
      }
      return Float(squares / Double(x.count - ddof))
    }
  }

  /// The largest element. The tensor must not be empty.
  public func max() -> Float {
    precondition(count > 0, "max of an empty tensor")
    return storage.withUnsafeBufferPointer { x in
      var best = -Float.infinity
      for value in x where value > best { best = value }
      return best
    }
  }

  /// The smallest element. The tensor must not be empty.
  public func min() -> Float {
    precondition(count > 0, "min of an empty tensor")
    return storage.withUnsafeBufferPointer { x in
      var best = Float.infinity
      for value in x where value < best { best = value }
      return best
    }
  }

  /// The flat (row-major) index of the first largest element. The tensor must not be empty.
  public func argmax() -> Int {
    precondition(count > 0, "argmax of an empty tensor")
    return storage.withUnsafeBufferPointer { x in
      var best = -Float.infinity
      var bestIndex = 0
      for index in x.indices where x[index] > best {
        best = x[index]
        bestIndex = index
      }
      return bestIndex
    }
  }

  /// The shape without `axis`.
  private func shapeRemoving(_ axis: Int) -> [Int] {
    var result = shape
    result.remove(at: axis)
    return result
  }

  /// Sums along `axis`; the result has the shape without that axis.
  public func sum(axis: Int) -> Tensor {
    let (outer, length, inner) = axisLayout(axis)
    var result = Tensor(shape: shapeRemoving(axis))
    sumAlong(outer: outer, length: length, inner: inner, into: &result, scale: 1)
    return result
  }

  /// Means along `axis`; the result has the shape without that axis.
  public func mean(axis: Int) -> Tensor {
    let (outer, length, inner) = axisLayout(axis)
    var result = Tensor(shape: shapeRemoving(axis))
    sumAlong(outer: outer, length: length, inner: inner, into: &result, scale: 1 / Double(length))
    return result
  }

  /// Sums over every axis except `axis`, shape `[shape[axis]]`: the gradient of a bias that
  /// `addInPlace(_:alongAxis:)` broadcast.
  public func sum(keepingOnly axis: Int) -> Tensor {
    let (outer, length, inner) = axisLayout(axis)
    var totals = [Double](repeating: 0, count: length)
    storage.withUnsafeBufferPointer { x in
      totals.withUnsafeMutableBufferPointer { t in
        for o in 0..<outer {
          for j in 0..<length {
            let base = (o * length + j) * inner
            t[j] += Tensor.blockSum(UnsafeBufferPointer(rebasing: x[base..<(base + inner)]))
          }
        }
      }
    }
    return Tensor(shape: [length], storage: totals.map { Float($0) })
  }

  /// `result[o, i] = scale * sum_j self[o, j, i]`, accumulated in Double.
  private func sumAlong(
    outer: Int, length: Int, inner: Int, into result: inout Tensor, scale: Double
  ) {
    var totals = [Double](repeating: 0, count: inner)
    storage.withUnsafeBufferPointer { x in
      result.storage.withUnsafeMutableBufferPointer { out in
        totals.withUnsafeMutableBufferPointer { t in
          for o in 0..<outer {
            if inner == 1 {
              let base = o * length
              let total = Tensor.blockSum(UnsafeBufferPointer(rebasing: x[base..<(base + length)]))
              out[o] = Float(total * scale)
              continue
            }
            // Column sums: each run of `inner` is added to the Double totals, which vectorises
            // across i (no reduction order to keep).
            let totals = t.baseAddress!
            totals.update(repeating: 0, count: inner)
            for j in 0..<length {
              let run = x.baseAddress! + (o * length + j) * inner
              for i in 0..<inner { totals[i] += Double(run[i]) }
            }
            for i in 0..<inner { out[o * inner + i] = Float(totals[i] * scale) }
          }
        }
      }
    }
  }

  /// Variances along `axis` divided by `length - ddof`; the shape without that axis.
  public func variance(axis: Int, ddof: Int = 0) -> Tensor {
    let (outer, length, inner) = axisLayout(axis)
    var result = Tensor(shape: shapeRemoving(axis))
    var means = [Double](repeating: 0, count: inner)
    var squares = [Double](repeating: 0, count: inner)
    let divisor = Double(length - ddof)
    storage.withUnsafeBufferPointer { xb in
      result.storage.withUnsafeMutableBufferPointer { ob in
        means.withUnsafeMutableBufferPointer { mb in
          squares.withUnsafeMutableBufferPointer { sb in
            let (x, out, mu, sq) = (
              xb.baseAddress!, ob.baseAddress!, mb.baseAddress!, sb.baseAddress!
            )
            for o in 0..<outer {
              mu.update(repeating: 0, count: inner)
              sq.update(repeating: 0, count: inner)
              for j in 0..<length {
                let run = x + (o * length + j) * inner
                for i in 0..<inner { mu[i] += Double(run[i]) }
              }
              for i in 0..<inner { mu[i] /= Double(length) }
              for j in 0..<length {
                let run = x + (o * length + j) * inner
                for i in 0..<inner {
                  let deviation = Double(run[i]) - mu[i]
                  sq[i] += deviation * deviation
                }
              }
              for i in 0..<inner { out[o * inner + i] = Float(sq[i] / divisor) }
            }
          }
        }
      }
    }
    return result
  }

  /// Maxima along `axis` (which must not be empty); the shape without that axis.
  public func max(axis: Int) -> Tensor {
    extremum(axis: axis).values
  }

  /// Minima along `axis` (which must not be empty); the shape without that axis.
  public func min(axis: Int) -> Tensor {
    var negated = self
    negated.scaleInPlace(-1)
    var result = negated.extremum(axis: axis).values
    result.scaleInPlace(-1)
    return result
  }

  /// Indices of the first maximum along `axis` (which must not be empty), in row-major order
  /// of the shape without that axis: for `[batch, classes]` and axis 1, one class per sample.
  public func argmax(axis: Int) -> [Int] {
    extremum(axis: axis).indices
  }

  /// Maxima and their first indices along `axis`.
  private func extremum(axis: Int) -> (values: Tensor, indices: [Int]) {
    let (outer, length, inner) = axisLayout(axis)
    precondition(length > 0, "max/argmax along empty axis \(axis) of shape \(shape)")
    var values = Tensor(shape: shapeRemoving(axis), repeating: -.infinity)
    var indices = [Int](repeating: 0, count: outer * inner)
    storage.withUnsafeBufferPointer { x in
      values.storage.withUnsafeMutableBufferPointer { best in
        indices.withUnsafeMutableBufferPointer { bestIndex in
          for o in 0..<outer {
            for j in 0..<length {
              let base = (o * length + j) * inner
              let out = o * inner
              for i in 0..<inner where x[base + i] > best[out + i] {
                best[out + i] = x[base + i]
                bestIndex[out + i] = j
              }
            }
          }
        }
      }
    }
    return (values, indices)
  }
}
