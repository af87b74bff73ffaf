extension VectorMath {
  /// `y[i] = x[i] > 0 ? x[i] : slope · x[i]` for `count` floats (PReLU and leaky ReLU), 16 lanes
  /// at a time: the scalar loop does not vectorise, since `x` and `y` may alias (they may be
  /// the same run). Bit-identical to the scalar form.
  @inlinable
  public static func prelu(
    _ x: UnsafePointer<Float>, slope: Float, into y: UnsafeMutablePointer<Float>, count: Int
  ) {
    var i = 0
    while i + 16 <= count {
      let v = load(x + i)
      let scaled = (v * slope).replacing(with: v, where: v .> 0)
      UnsafeMutableRawPointer(y + i).storeBytes(of: scaled, as: V.self)
      i += 16
    }
    while i < count {
      let v = x[i]
      y[i] = v > 0 ? v : slope * v
      i += 1
    }
  }

  /// In place, `p[i] = v > 0 ? v : slope · v` with `v = p[i] + bias`, for `count` floats: a
  /// convolution's bias and the PReLU after it in one pass over the output (inference only:
  /// the pre-activation values are not kept). Bit-identical to adding the bias, then
  /// ``prelu(_:slope:into:count:)``.
  @inlinable
  public static func biasPReLU(
    _ p: UnsafeMutablePointer<Float>, bias: Float, slope: Float, count: Int
  ) {
    var i = 0
    while i + 16 <= count {
      let v = load(p + i) + bias
      let scaled = (v * slope).replacing(with: v, where: v .> 0)
      UnsafeMutableRawPointer(p + i).storeBytes(of: scaled, as: V.self)
      i += 16
    }
    while i < count {
      let v = p[i] + bias
      p[i] = v > 0 ? v : slope * v
      i += 1
    }
  }
}
