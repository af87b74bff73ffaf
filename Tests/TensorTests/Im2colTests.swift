import Tensor
import Testing

@Suite struct Im2colTests {
  /// Direct definition: column entry (row (c,ky,kx), column (i,oy,ox)) is the input at
  /// (c, i, oy·s − p + ky, ox·s − p + kx), or zero in the padding.
  private func naive(_ x: [Float], _ g: ConvGeometry, images: Int) -> [Float] {
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    var cols = [Float](repeating: .nan, count: g.patchSize * images * oh * ow)
    for c in 0..<g.channels {
      for ky in 0..<g.kernelHeight {
        for kx in 0..<g.kernelWidth {
          let row = (c * g.kernelHeight + ky) * g.kernelWidth + kx
          for i in 0..<images {
            for oy in 0..<oh {
              for ox in 0..<ow {
                let iy = oy * g.strideY - g.paddingY + ky
                let ix = ox * g.strideX - g.paddingX + kx
                let inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width
                // NCHW input
                let v = inside ? x[((i * g.channels + c) * g.height + iy) * g.width + ix] : 0
                cols[row * images * oh * ow + (i * oh + oy) * ow + ox] = v
              }
            }
          }
        }
      }
    }
    return cols
  }

  static let geometries: [ConvGeometry] = [
    ConvGeometry(channels: 2, height: 5, width: 6, kernel: 3, stride: 1, padding: 1),
    ConvGeometry(channels: 1, height: 7, width: 4, kernel: 3, stride: 2, padding: 1),
    ConvGeometry(channels: 3, height: 4, width: 4, kernel: 2, stride: 2, padding: 0),
    ConvGeometry(
      channels: 2, height: 6, width: 5, kernelHeight: 3, kernelWidth: 2, strideY: 1, strideX: 3,
      paddingY: 2, paddingX: 1),
    ConvGeometry(channels: 1, height: 3, width: 3, kernel: 1),
  ]

  @Test(arguments: geometries)
  func matchesDefinitionInNCHW(_ g: ConvGeometry) {
    let images = 2
    let x = (0..<(images * g.channels * g.height * g.width)).map { Float($0) + 1 }
    let cols = images * g.outputHeight * g.outputWidth
    var out = [Float](repeating: .nan, count: g.patchSize * cols)
    x.withUnsafeBufferPointer { xp in
      out.withUnsafeMutableBufferPointer { op in
        im2col(
          xp.baseAddress!, geometry: g, images: images, channelStride: g.height * g.width,
          imageStride: g.channels * g.height * g.width, into: op.baseAddress!, rowStride: cols)
      }
    }
    #expect(out == naive(x, g, images: images))
  }

  /// col2im is the adjoint of im2col: ⟨im2col(x), C⟩ = ⟨x, col2im(C)⟩, here in CNHW.
  @Test(arguments: geometries)
  func col2imIsTheAdjoint(_ g: ConvGeometry) {
    let images = 3
    let plane = g.height * g.width
    let cols = images * g.outputHeight * g.outputWidth
    let x = (0..<(images * g.channels * plane)).map { Float(($0 * 7919) % 23) - 11 }
    let c = (0..<(g.patchSize * cols)).map { Float(($0 * 104_729) % 17) - 8 }
    var unfolded = [Float](repeating: 0, count: c.count)
    var folded = [Float](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xp in
      unfolded.withUnsafeMutableBufferPointer { up in
        im2col(
          xp.baseAddress!, geometry: g, images: images, channelStride: images * plane,
          imageStride: plane, into: up.baseAddress!, rowStride: cols)
      }
    }
    c.withUnsafeBufferPointer { cp in
      folded.withUnsafeMutableBufferPointer { fp in
        col2im(
          cp.baseAddress!, rowStride: cols, geometry: g, images: images,
          adding: fp.baseAddress!, channelStride: images * plane, imageStride: plane)
      }
    }
    let lhs = zip(unfolded, c).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    let rhs = zip(x, folded).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    #expect(lhs == rhs)
  }

  @Test func outputSizeFollowsFloorMode() {
    let g = ConvGeometry(channels: 1, height: 11, width: 11, kernel: 2, stride: 2)
    #expect(g.outputHeight == 5 && g.outputWidth == 5)
    #expect(!ConvGeometry(channels: 1, height: 2, width: 2, kernel: 5).isValid)
    #expect(!ConvGeometry(channels: 1, height: 4, width: 4, kernel: 3, padding: 3).isValid)
  }
}
