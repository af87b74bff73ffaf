import Tensor
import Testing

/// ``Winograd4``'s transforms around 36 GEMMs against the definition of the convolution
/// summed in `Double`, with every buffer filled with NaN first (a transform that reads what it
/// did not write, or leaves output unwritten, fails).
///
/// Tolerance: F(4×4, 3×3)'s transforms have entries up to 8 (Aᵀ) and 1/24 (G), so float32
/// rounding grows more than with F(2×2); the worst error observed on these shapes is
/// 2.8e-6 of the output's largest magnitude (16 channels at 44×44; 1e-7 to 2e-6 on the others) (inputs and weights in [−1, 1]). The bound is 2e-5
/// of it, loose enough for other BLAS kernels, tight enough to catch any wrong coefficient.
@Suite struct Winograd4Tests {
  /// `y[o, i, oy, ox] = Σ w[o, c, ky, kx] · x[c, i, oy − p + ky, ox − p + kx]`, CNHW, zero
  /// padding, in `Double`.
  private func definition(
    _ x: [Float], _ w: [Float], _ g: ConvGeometry, outputs: Int, images: Int
  ) -> [Float] {
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    var y = [Float](repeating: 0, count: outputs * images * oh * ow)
    for o in 0..<outputs {
      for i in 0..<images {
        for oy in 0..<oh {
          for ox in 0..<ow {
            var sum = 0.0
            for c in 0..<g.channels {
              for ky in 0..<3 {
                let iy = oy - g.paddingY + ky
                guard iy >= 0, iy < g.height else { continue }
                for kx in 0..<3 {
                  let ix = ox - g.paddingX + kx
                  guard ix >= 0, ix < g.width else { continue }
                  sum +=
                    Double(w[((o * g.channels + c) * 3 + ky) * 3 + kx])
                    * Double(x[((c * images + i) * g.height + iy) * g.width + ix])
                }
              }
            }
            y[((o * images + i) * oh + oy) * ow + ox] = Float(sum)
          }
        }
      }
    }
    return y
  }

  /// Weight, input and output transforms with the 36 GEMMs between them.
  private func winograd4(
    _ x: [Float], _ w: [Float], _ g: ConvGeometry, outputs: Int, images: Int
  ) -> [Float] {
    let (oh, ow, c) = (g.outputHeight, g.outputWidth, g.channels)
    let stride = Winograd4.rowStride(g, images: images)
    let tiles = images * Winograd4.tilesPerImage(g)
    var u = [Float](repeating: .nan, count: 36 * outputs * c)
    var v = [Float](repeating: .nan, count: 36 * c * stride)
    var m = [Float](repeating: .nan, count: 36 * outputs * stride)
    var plane = [Float](repeating: .nan, count: Winograd4.planeSize(g))
    var y = [Float](repeating: .nan, count: outputs * images * oh * ow)
    Winograd4.transformWeights(w, outputs: outputs, channels: c, into: &u)
    plane.withUnsafeMutableBufferPointer { p in
      Winograd4.transformInput(
        x, geometry: g, images: images, channelStride: images * g.height * g.width,
        imageStride: g.height * g.width, channels: 0..<c, into: &v, rowStride: stride,
        plane: p.baseAddress!)
    }
    for xi in 0..<36 {
      u.withUnsafeBufferPointer { up in
        v.withUnsafeBufferPointer { vp in
          m.withUnsafeMutableBufferPointer { mp in
            sgemm(
              .none, .none, m: outputs, n: tiles, k: c, a: up.baseAddress! + xi * outputs * c,
              lda: c, b: vp.baseAddress! + xi * c * stride, ldb: stride,
              c: mp.baseAddress! + xi * outputs * stride, ldc: stride)
          }
        }
      }
    }
    plane.withUnsafeMutableBufferPointer { p in
      Winograd4.transformOutput(
        m, rowStride: stride, totalOutputs: outputs, geometry: g, outputs: 0..<outputs,
        images: images, into: &y, channelStride: images * oh * ow, imageStride: oh * ow,
        plane: p.baseAddress!)
    }
    return y
  }

  /// One case: a geometry and a number of images.
  struct Case: CustomTestStringConvertible, Sendable {
    var geometry: ConvGeometry
    var images: Int
    var testDescription: String {
      let g = geometry
      return "\(g.channels) ch \(g.height)×\(g.width) pad \(g.paddingY),\(g.paddingX) × \(images)"
    }
  }

  /// Odd sides and sides that are not a multiple of 4, padding 0, 1 and 2, planes smaller
  /// than one 6×6 tile, more than eight tile columns (two vectors), one and several images.
  static let cases: [Case] = [
    Case(
      geometry: ConvGeometry(channels: 3, height: 5, width: 6, kernel: 3, padding: 1), images: 3),
    Case(
      geometry: ConvGeometry(channels: 2, height: 7, width: 4, kernel: 3, padding: 0), images: 1),
    Case(
      geometry: ConvGeometry(channels: 4, height: 9, width: 37, kernel: 3, padding: 2), images: 2),
    Case(
      geometry: ConvGeometry(channels: 1, height: 3, width: 3, kernel: 3, padding: 1), images: 1),
    Case(
      geometry: ConvGeometry(channels: 1, height: 3, width: 3, kernel: 3, padding: 0), images: 4),
    Case(
      geometry: ConvGeometry(channels: 5, height: 11, width: 11, kernel: 3, padding: 1), images: 5),
    Case(
      geometry: ConvGeometry(channels: 16, height: 44, width: 44, kernel: 3, padding: 1), images: 2),
    Case(
      geometry: ConvGeometry(
        channels: 2, height: 6, width: 5, kernelHeight: 3, kernelWidth: 3, strideY: 1,
        strideX: 1, paddingY: 0, paddingX: 2), images: 3),
  ]

  @Test(arguments: cases)
  func matchesDefinition(_ test: Case) {
    let g = test.geometry
    #expect(Winograd4.supports(g))
    let (outputs, images) = (3, test.images)
    var rng = Xoshiro256(seed: 7)
    let x = (0..<(g.channels * images * g.height * g.width)).map { _ in
      Float(rng.nextDouble() * 2 - 1)
    }
    let w = (0..<(outputs * g.channels * 9)).map { _ in Float(rng.nextDouble() * 2 - 1) }
    let expected = definition(x, w, g, outputs: outputs, images: images)
    let got = winograd4(x, w, g, outputs: outputs, images: images)
    let scale = expected.map(abs).max() ?? 1
    let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .nan
    print("Winograd4 \(test.testDescription): worst error \(worst / scale) of the largest output")
    #expect(got.count == expected.count)
    #expect(worst <= 2e-5 * scale, "worst \(worst) of \(scale)")
  }

  @Test func tilesCoverTheOutput() {
    let g = ConvGeometry(channels: 1, height: 44, width: 45, kernel: 3, padding: 1)
    #expect(Winograd4.tiles(g) == (11, 12))
    #expect(Winograd4.tilesPerImage(g) == 132)
    #expect(Winograd4.rowStride(g, images: 2) == 272)
  }
}
