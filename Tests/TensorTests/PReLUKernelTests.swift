import Tensor
import Testing

/// `VectorMath.prelu` against its definition, bit for bit: every length from 0 to 40 (whole
/// vectors and tails), negative, positive, zero and signed-zero inputs, in place and not.
@Suite struct PReLUKernelTests {
  static func definition(_ v: Float, _ slope: Float) -> Float { v > 0 ? v : slope * v }

  /// `count` values of both signs from a linear congruential `state`, every seventh a zero
  /// (alternately +0 and −0).
  static func inputs(count: Int, state: inout UInt64) -> [Float] {
    (0..<count).map { i -> Float in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      if i % 7 == 3 { return i % 2 == 0 ? 0 : -0.0 }
      return Float(Int64(bitPattern: state >> 40) - (1 << 23)) / 4096
    }
  }

  @Test(arguments: [0.25, -0.5, 0])
  func matchesTheDefinitionBitForBit(slope: Float) {
    var state: UInt64 = 7
    for count in 0...40 {
      let x = Self.inputs(count: count, state: &state)
      let expected = x.map { Self.definition($0, slope) }
      var y = [Float](repeating: .nan, count: count)
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
          guard let from = xs.baseAddress, let to = ys.baseAddress else { return }
          VectorMath.prelu(from, slope: slope, into: to, count: count)
        }
      }
      #expect(y.map(\.bitPattern) == expected.map(\.bitPattern), "count \(count)")
      var inPlace = x
      inPlace.withUnsafeMutableBufferPointer { p in
        guard let base = p.baseAddress else { return }
        VectorMath.prelu(base, slope: slope, into: base, count: count)
      }
      #expect(inPlace.map(\.bitPattern) == expected.map(\.bitPattern), "in place, count \(count)")
    }
  }

  /// `biasPReLU` equals adding the bias and then `prelu`, bit for bit, at every length 0–40.
  @Test(arguments: [0.25, -0.5, 0])
  func biasThenPReLUInOnePassMatchesTwoPasses(slope: Float) {
    var state: UInt64 = 11
    for count in 0...40 {
      let x = Self.inputs(count: count, state: &state)
      let bias: Float = 0.375
      let expected = x.map { Self.definition($0 + bias, slope) }
      var fused = x
      fused.withUnsafeMutableBufferPointer { p in
        guard let base = p.baseAddress else { return }
        VectorMath.biasPReLU(base, bias: bias, slope: slope, count: count)
      }
      #expect(fused.map(\.bitPattern) == expected.map(\.bitPattern), "count \(count)")
    }
  }
}
