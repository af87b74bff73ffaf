import Foundation

// Softmax and log-softmax along the last axis: a `[batch, classes]` tensor of logits gives one
// distribution per row. Each row is shifted by its maximum first, so exp never overflows
// (logits of 1e4 stay finite) and the largest term is exactly exp(0) = 1.

extension Tensor {
  /// Rows as `(count, length)`: the last axis against everything before it.
  private var rowLayout: (rows: Int, length: Int) {
    precondition(rank >= 1, "softmax needs at least one axis, got shape \(shape)")
    let length = shape[rank - 1]
    return (length == 0 ? 0 : count / length, length)
  }

  /// `exp(x - max) / sum(exp(x - max))` along the last axis.
  public func softmaxRows() -> Tensor {
    var result = self
    result.softmaxRowsInPlace()
    return result
  }

  /// Replaces each row (last axis) with its softmax.
  public mutating func softmaxRowsInPlace() {
    let (rows, length) = rowLayout
    storage.withUnsafeMutableBufferPointer { x in
      for row in 0..<rows {
        let base = row * length
        var peak = -Float.infinity
        for j in 0..<length where x[base + j] > peak { peak = x[base + j] }
        var total: Float = 0
        for j in 0..<length {
          let e = Foundation.exp(x[base + j] - peak)
          x[base + j] = e
          total += e
        }
        let inverse = 1 / total
        for j in 0..<length { x[base + j] *= inverse }
      }
    }
  }

  /// `x - max - log(sum(exp(x - max)))` along the last axis.
  public func logSoftmaxRows() -> Tensor {
    var result = self
    result.logSoftmaxRowsInPlace()
    return result
  }

  /// Replaces each row (last axis) with its log-softmax.
  public mutating func logSoftmaxRowsInPlace() {
    let (rows, length) = rowLayout
    storage.withUnsafeMutableBufferPointer { x in
      for row in 0..<rows {
        let base = row * length
        // (x - max) - log(sum): x - max is exact for nearby floats, whereas subtracting a
        // rounded max + log(sum) of 1e4 would lose 5e-4 to the spacing of floats there.
        var peak = -Float.infinity
        for j in 0..<length where x[base + j] > peak { peak = x[base + j] }
        if !peak.isFinite {
          for j in 0..<length { x[base + j] -= peak }
          continue
        }
        var total: Float = 0
        for j in 0..<length { total += Foundation.exp(x[base + j] - peak) }
        let logTotal = Foundation.log(total)
        for j in 0..<length { x[base + j] = (x[base + j] - peak) - logTotal }
      }
    }
  }

  /// `log(sum(exp(x)))` of each row (last axis), computed stably; the shape without the last
  /// axis. The normaliser of softmax, and the first term of cross-entropy on logits.
  public func logSumExpRows() -> Tensor {
    let (rows, length) = rowLayout
    // An empty row sums to 0, whose log is -infinity.
    var result = Tensor(shape: Array(shape.dropLast()), repeating: -.infinity)
    storage.withUnsafeBufferPointer { x in
      result.storage.withUnsafeMutableBufferPointer { out in
        for row in 0..<rows {
          let base = row * length
          out[row] = Tensor.logSumExp(UnsafeBufferPointer(rebasing: x[base..<(base + length)]))
        }
      }
    }
    return result
  }

  /// `max + log(sum(exp(x - max)))` of one row.
  private static func logSumExp(_ x: UnsafeBufferPointer<Float>) -> Float {
    var peak = -Float.infinity
    for value in x where value > peak { peak = value }
    if !peak.isFinite { return peak }
    var total: Float = 0
    for value in x { total += Foundation.exp(value - peak) }
    return peak + Foundation.log(total)
  }
}
