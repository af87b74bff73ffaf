// A vector broadcast along one axis of a tensor: a bias row over the rows of `[batch, features]`
// (the last axis), or a per-channel bias over `[batch, channels, height*width]` (axis 1).

extension Tensor {
  /// The tensor viewed as `[outer, shape[axis], inner]`: the extents before, at and after `axis`.
  @inlinable
  func axisLayout(_ axis: Int) -> (outer: Int, length: Int, inner: Int) {
    precondition(axis >= 0 && axis < rank, "axis \(axis) out of range for shape \(shape)")
    var outer = 1
    var inner = 1
    for index in 0..<axis { outer *= shape[index] }
    for index in (axis + 1)..<rank { inner *= shape[index] }
    return (outer, shape[axis], inner)
  }

  /// Replaces every element `x` at position `j` along `axis` with `f(x, vector[j])`; always
  /// inlined so `f` becomes a plain instruction and the inner loop vectorises.
  @inlinable @inline(__always)
  mutating func broadcastLoop(
    _ vector: Tensor, alongAxis axis: Int, _ f: (Float, Float) -> Float
  ) {
    let (outer, length, inner) = axisLayout(axis)
    precondition(
      vector.count == length,
      "vector of \(vector.count) elements does not match axis \(axis) of shape \(shape)")
    vector.storage.withUnsafeBufferPointer { vb in
      storage.withUnsafeMutableBufferPointer { xb in
        guard let v = vb.baseAddress, let x = xb.baseAddress else { return }
        if inner == 1 {
          for o in 0..<outer {
            let row = x + o * length
            for j in 0..<length { row[j] = f(row[j], v[j]) }
          }
        } else {
          for o in 0..<outer {
            for j in 0..<length {
              let value = v[j]
              let run = x + (o * length + j) * inner
              for i in 0..<inner { run[i] = f(run[i], value) }
            }
          }
        }
      }
    }
  }

  /// `self[..., j, ...] += vector[j]` along `axis` (per-channel bias with `axis: 1` on NCHW).
  public mutating func addInPlace(_ vector: Tensor, alongAxis axis: Int) {
    broadcastLoop(vector, alongAxis: axis, +)
  }
  /// `self[..., j, ...] -= vector[j]` along `axis`.
  public mutating func subtractInPlace(_ vector: Tensor, alongAxis axis: Int) {
    broadcastLoop(vector, alongAxis: axis, -)
  }
  /// `self[..., j, ...] *= vector[j]` along `axis`.
  public mutating func multiplyInPlace(_ vector: Tensor, alongAxis axis: Int) {
    broadcastLoop(vector, alongAxis: axis, *)
  }

  /// Adds `row` (as many elements as the last axis) to every row: the bias of a dense layer on
  /// `[batch, features]`.
  mutating func addRowInPlace(_ row: Tensor) { addInPlace(row, alongAxis: rank - 1) }
  /// Subtracts `row` from every row (centring by column means).
  mutating func subtractRowInPlace(_ row: Tensor) {
    subtractInPlace(row, alongAxis: rank - 1)
  }
}
