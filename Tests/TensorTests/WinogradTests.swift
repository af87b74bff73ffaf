import Tensor
import Testing

@Suite struct WinogradTests {
  /// Direct definition of a cross-correlation (PyTorch's convolution) in CNHW:
  /// `y[o, i, oy, ox] = Σ w[o, c, ky, kx] · x[c, i, oy − p + ky, ox − p + kx]`, zero padding.
  private func direct(
    _ x: [Float], _ w: [Float], _ g: ConvGeometry, outputs: Int, images: Int
  ) -> [Float] {
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    var y = [Float](repeating: 0, count: outputs * images * oh * ow)
    for o in 0..<outputs {
      for i in 0..<images {
        for oy in 0..<oh {
          for ox in 0..<ow {
            var total = 0.0
            for c in 0..<g.channels {
              for ky in 0..<3 {
                for kx in 0..<3 {
                  let iy = oy - g.paddingY + ky
                  let ix = ox - g.paddingX + kx
                  guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                  let xv = x[((c * images + i) * g.height + iy) * g.width + ix]
                  total += Double(w[((o * g.channels + c) * 3 + ky) * 3 + kx]) * Double(xv)
                }
              }
            }
            y[((o * images + i) * oh + oy) * ow + ox] = Float(total)
          }
        }
      }
    }
    return y
  }

  /// The transforms around 16 GEMMs, the way a convolution layer uses them.
  private func winograd(
    _ x: [Float], _ w: [Float], _ g: ConvGeometry, outputs: Int, images: Int
  ) -> [Float] {
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    let stride = Winograd.rowStride(g, images: images)
    let tiles = images * Winograd.tilesPerImage(g)
    let c = g.channels
    var u = [Float](repeating: .nan, count: 16 * outputs * c)
    var v = [Float](repeating: .nan, count: 16 * c * stride)
    var m = [Float](repeating: .nan, count: 16 * outputs * stride)
    var plane = [Float](repeating: .nan, count: Winograd.planeSize(g))
    var y = [Float](repeating: .nan, count: outputs * images * oh * ow)
    w.withUnsafeBufferPointer { wp in
      u.withUnsafeMutableBufferPointer { up in
        Winograd.transformWeights(
          wp.baseAddress!, outputs: outputs, channels: c, into: up.baseAddress!)
      }
    }
    x.withUnsafeBufferPointer { xp in
      v.withUnsafeMutableBufferPointer { vp in
        plane.withUnsafeMutableBufferPointer { pp in
          Winograd.transformInput(
            xp.baseAddress!, geometry: g, images: images,
            channelStride: images * g.height * g.width,
            imageStride: g.height * g.width, channels: 0..<c, into: vp.baseAddress!,
            rowStride: stride, plane: pp.baseAddress!)
        }
      }
    }
    for xi in 0..<16 {
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
    m.withUnsafeBufferPointer { mp in
      y.withUnsafeMutableBufferPointer { yp in
        plane.withUnsafeMutableBufferPointer { pp in
          Winograd.transformOutput(
            mp.baseAddress!, rowStride: stride, totalOutputs: outputs, geometry: g,
            outputs: 0..<outputs, images: images, into: yp.baseAddress!,
            channelStride: images * oh * ow, imageStride: oh * ow, plane: pp.baseAddress!)
        }
      }
    }
    return y
  }

  static let geometries: [ConvGeometry] = [
    ConvGeometry(channels: 3, height: 5, width: 6, kernel: 3, padding: 1),
    ConvGeometry(channels: 2, height: 7, width: 4, kernel: 3, padding: 0),
    ConvGeometry(channels: 4, height: 9, width: 21, kernel: 3, padding: 2),
    ConvGeometry(channels: 1, height: 3, width: 3, kernel: 3, padding: 1),
    ConvGeometry(channels: 5, height: 11, width: 11, kernel: 3, padding: 1),
    ConvGeometry(
      channels: 2, height: 6, width: 5, kernelHeight: 3, kernelWidth: 3, strideY: 1, strideX: 1,
      paddingY: 0, paddingX: 2),
  ]

  @Test(arguments: geometries)
  func matchesDirectConvolution(_ g: ConvGeometry) throws {
    #expect(Winograd.supports(g))
    let (outputs, images) = (3, 3)
    var state: UInt64 = 0x1234_5678
    func next() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
    }
    let x = (0..<(g.channels * images * g.height * g.width)).map { _ in next() }
    let w = (0..<(outputs * g.channels * 9)).map { _ in next() }
    let expected = direct(x, w, g, outputs: outputs, images: images)
    let got = winograd(x, w, g, outputs: outputs, images: images)
    #expect(got.count == expected.count)
    let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .nan
    #expect(worst < 1e-5)
  }

  /// The kernel gradient `dw[o, c, ky, kx] = Σ dy[o, i, oy, ox] · x[c, i, oy − p + ky, ox − p + kx]`
  /// by the output-gradient and input transforms, 16 GEMMs over the tiles and the fold back.
  @Test(arguments: geometries)
  func weightGradientMatchesDefinition(_ g: ConvGeometry) throws {
    let (outputs, images) = (3, 2)
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    var state: UInt64 = 0x9876_5432
    func next() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
    }
    let c = g.channels
    let x = (0..<(c * images * g.height * g.width)).map { _ in next() }
    let dy = (0..<(outputs * images * oh * ow)).map { _ in next() }
    var expected = [Float](repeating: 0, count: outputs * c * 9)
    for o in 0..<outputs {
      for ci in 0..<c {
        for ky in 0..<3 {
          for kx in 0..<3 {
            var total = 0.0
            for i in 0..<images {
              for oy in 0..<oh {
                for ox in 0..<ow {
                  let iy = oy - g.paddingY + ky
                  let ix = ox - g.paddingX + kx
                  guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                  total +=
                    Double(dy[((o * images + i) * oh + oy) * ow + ox])
                    * Double(x[((ci * images + i) * g.height + iy) * g.width + ix])
                }
              }
            }
            expected[((o * c + ci) * 3 + ky) * 3 + kx] = Float(total) + 0.5
          }
        }
      }
    }
    let stride = Winograd.rowStride(g, images: images)
    let tiles = images * Winograd.tilesPerImage(g)
    var v = [Float](repeating: .nan, count: 16 * c * stride)
    var dm = [Float](repeating: .nan, count: 16 * outputs * stride)
    var du = [Float](repeating: .nan, count: 16 * outputs * c)
    var plane = [Float](repeating: .nan, count: Winograd.planeSize(g))
    // Accumulates onto what is there.
    var got = [Float](repeating: 0.5, count: outputs * c * 9)
    x.withUnsafeBufferPointer { xp in
      dy.withUnsafeBufferPointer { yp in
        v.withUnsafeMutableBufferPointer { vp in
          dm.withUnsafeMutableBufferPointer { mp in
            du.withUnsafeMutableBufferPointer { up in
              plane.withUnsafeMutableBufferPointer { pp in
                Winograd.transformInput(
                  xp.baseAddress!, geometry: g, images: images,
                  channelStride: images * g.height * g.width, imageStride: g.height * g.width,
                  channels: 0..<c, into: vp.baseAddress!, rowStride: stride,
                  plane: pp.baseAddress!)
                Winograd.transformOutputGradient(
                  yp.baseAddress!, geometry: g, outputs: 0..<outputs, totalOutputs: outputs,
                  images: images, channelStride: images * oh * ow, imageStride: oh * ow,
                  into: mp.baseAddress!, rowStride: stride, plane: pp.baseAddress!)
                for xi in 0..<16 {
                  sgemm(
                    .none, .transposed, m: outputs, n: c, k: tiles,
                    a: mp.baseAddress! + xi * outputs * stride, lda: stride,
                    b: vp.baseAddress! + xi * c * stride, ldb: stride,
                    c: up.baseAddress! + xi * outputs * c, ldc: c)
                }
                got.withUnsafeMutableBufferPointer {
                  Winograd.accumulateWeightGradient(
                    up.baseAddress!, outputs: outputs, channels: c, into: $0.baseAddress!)
                }
              }
            }
          }
        }
      }
    }
    let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .nan
    #expect(worst < 1e-4)
  }

  @Test func rejectsOtherGeometries() {
    #expect(
      !Winograd.supports(ConvGeometry(channels: 1, height: 5, width: 5, kernel: 3, stride: 2)))
    #expect(!Winograd.supports(ConvGeometry(channels: 1, height: 5, width: 5, kernel: 5)))
    #expect(!Winograd.supports(ConvGeometry(channels: 1, height: 5, width: 5, kernel: 1)))
  }
}
