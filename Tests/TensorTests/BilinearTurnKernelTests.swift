import Foundation
import Tensor
import Testing

/// `BilinearTurnKernel` against the formula of `emocl_turn.h` written out here in Swift (each
/// sum left to right, no fused multiply-adds): the same floats on every path, and the pixels
/// whose neighbourhood leaves the input untouched.
@Suite struct BilinearTurnKernelTests {
  /// The header's formula, pixel by pixel.
  static func reference(
    _ input: [Float], big: Int, into output: inout [Float], side: Int, cos c: Float, sin s: Float
  ) {
    let (plane, bigPlane) = (side * side, big * big)
    let (middle, bigMiddle) = (Float(side) / 2, Float(big) / 2)
    for v in 0..<side {
      let dv = Float(v) + 0.5 - middle
      for u in 0..<side {
        let du = Float(u) + 0.5 - middle
        let x = bigMiddle + c * du - s * dv - 0.5
        let y = bigMiddle + s * du + c * dv - 0.5
        let (x0, y0) = (Int(x.rounded(.down)), Int(y.rounded(.down)))
        guard x0 >= 0, y0 >= 0, x0 + 1 < big, y0 + 1 < big else { continue }
        let (ax, ay) = (x - Float(x0), y - Float(y0))
        for channel in 0..<3 {
          let i = channel * bigPlane + y0 * big + x0
          let top = input[i] + ax * (input[i + 1] - input[i])
          let bottom = input[i + big] + ax * (input[i + big + 1] - input[i + big])
          output[channel * plane + v * side + u] = top + ay * (bottom - top)
        }
      }
    }
  }

  /// Sides below, at and past a vector of 16, crops larger and smaller than their source (so
  /// that some pixels fall outside), several turns.
  static let cases: [(side: Int, big: Int, degrees: Double)] = [
    (24, 33, 20), (24, 33, -20), (48, 64, 20), (7, 9, 45), (16, 16, -30), (17, 12, 90),
    (33, 40, 0), (5, 2, 180),
  ]

  @Test(arguments: [nil] + PlanarInstructions.supported.map { Optional($0) })
  func matchesTheFormulaExactly(instructions: PlanarInstructions?) {
    var random = SplitMix64(seed: 5)
    for (side, big, degrees) in Self.cases {
      let input = (0..<3 * big * big).map { _ in
        Float(Double(random.next() >> 11) / Double(1 << 53) * 2 - 1)
      }
      let angle = degrees * .pi / 180
      let (c, s) = (Float(cos(angle)), Float(sin(angle)))
      // A sentinel shows the pixels left alone.
      var expected = [Float](repeating: 42, count: 3 * side * side)
      Self.reference(input, big: big, into: &expected, side: side, cos: c, sin: s)
      var output = [Float](repeating: 42, count: 3 * side * side + 16)
      input.withUnsafeBufferPointer { from in
        output.withUnsafeMutableBufferPointer { to in
          BilinearTurnKernel.turn(
            from.baseAddress!, big: big, into: to.baseAddress!, side: side, cos: c, sin: s,
            instructions: instructions)
        }
      }
      let mismatch = expected.indices.first { expected[$0].bitPattern != output[$0].bitPattern }
      #expect(
        mismatch == nil,
        "\(side)×\(side) from \(big), \(degrees)°: value \(mismatch ?? 0) is \(output[mismatch ?? 0]), expected \(expected[mismatch ?? 0])"
      )
      #expect(output.suffix(16).allSatisfy { $0 == 42 }, "written past the crop")
      if side >= 16 && big > side {
        #expect(expected.contains { $0 != 42 }, "no pixel sampled")
      }
    }
  }
}
