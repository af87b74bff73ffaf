/// Reductions over contiguous Float runs with 16 independent SIMD lanes (the compiler does not
/// reassociate a scalar Float sum, so a plain loop would not vectorise), accumulated in Float
/// within a lane and summed in Double at the end.
public enum VectorMath {
  /// Sixteen Float lanes.
  public typealias V = SIMD16<Float>

  /// Sixteen floats from `p` (any alignment).
  @inlinable @inline(__always)
  public static func load(_ p: UnsafePointer<Float>) -> V {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
  }

  /// `Σ x[i]`.
  @inlinable
  public static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Double {
    var acc0 = V()
    var acc1 = V()
    var i = 0
    while i + 32 <= count {
      acc0 += load(x + i)
      acc1 += load(x + i + 16)
      i += 32
    }
    var total = Double((acc0 + acc1).sum())
    while i < count {
      total += Double(x[i])
      i += 1
    }
    return total
  }

  /// `Σ (x[i] − center)²`.
  @inlinable
  public static func sumOfSquares(_ x: UnsafePointer<Float>, _ count: Int, around center: Float)
    -> Double
  {
    var acc0 = V()
    var acc1 = V()
    let c = V(repeating: center)
    var i = 0
    while i + 32 <= count {
      let d0 = load(x + i) - c
      let d1 = load(x + i + 16) - c
      acc0.addProduct(d0, d0)
      acc1.addProduct(d1, d1)
      i += 32
    }
    var total = Double((acc0 + acc1).sum())
    while i < count {
      let d = Double(x[i] - center)
      total += d * d
      i += 1
    }
    return total
  }

  /// `(Σ dy[i], Σ dy[i]·(x[i] − center))`, the two reductions of a batch-norm backward pass.
  @inlinable
  public static func sumAndCenteredDot(
    _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, center: Float
  ) -> (Double, Double) {
    var s0 = V()
    var s1 = V()
    var d0 = V()
    var d1 = V()
    let c = V(repeating: center)
    var i = 0
    while i + 32 <= count {
      let g0 = load(dy + i)
      let g1 = load(dy + i + 16)
      s0 += g0
      s1 += g1
      d0.addProduct(g0, load(x + i) - c)
      d1.addProduct(g1, load(x + i + 16) - c)
      i += 32
    }
    var sum = Double((s0 + s1).sum())
    var dot = Double((d0 + d1).sum())
    while i < count {
      sum += Double(dy[i])
      dot += Double(dy[i]) * Double(x[i] - center)
      i += 1
    }
    return (sum, dot)
  }

  /// Like ``sumAndCenteredDot(_:_:_:center:)`` with `dy` zeroed where `gate ≤ 0` (the
  /// gradient through a ReLU whose output is `gate`).
  @inlinable
  public static func gatedSumAndCenteredDot(
    _ dy: UnsafePointer<Float>, gate: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ count: Int, center: Float
  ) -> (Double, Double) {
    var s0 = V()
    var d0 = V()
    let c = V(repeating: center)
    let zero = V()
    var i = 0
    while i + 16 <= count {
      let g = load(dy + i).replacing(with: 0, where: load(gate + i) .<= zero)
      s0 += g
      d0.addProduct(g, load(x + i) - c)
      i += 16
    }
    var sum = Double(s0.sum())
    var dot = Double(d0.sum())
    while i < count {
      if gate[i] > 0 {
        sum += Double(dy[i])
        dot += Double(dy[i]) * Double(x[i] - center)
      }
      i += 1
    }
    return (sum, dot)
  }
}
