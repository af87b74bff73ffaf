/// The window geometry of a 2-D convolution or pooling over `channels` planes of
/// `height × width`: a `kernelHeight × kernelWidth` window moved by `stride`, with `padding`
/// zero rows/columns on every side. Output size follows PyTorch (floor mode).
public struct ConvGeometry: Sendable, Hashable, Codable {
  public var channels: Int
  public var height: Int
  public var width: Int
  public var kernelHeight: Int
  public var kernelWidth: Int
  public var strideY: Int
  public var strideX: Int
  public var paddingY: Int
  public var paddingX: Int

  /// A square window (`kernel × kernel`) with equal strides and padding on both axes.
  public init(
    channels: Int, height: Int, width: Int, kernel: Int, stride: Int = 1, padding: Int = 0
  ) {
    self.init(
      channels: channels, height: height, width: width, kernelHeight: kernel,
      kernelWidth: kernel, strideY: stride, strideX: stride, paddingY: padding,
      paddingX: padding)
  }

  /// A general window; see the type's description.
  public init(
    channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
    strideY: Int, strideX: Int, paddingY: Int, paddingX: Int
  ) {
    self.channels = channels
    self.height = height
    self.width = width
    self.kernelHeight = kernelHeight
    self.kernelWidth = kernelWidth
    self.strideY = strideY
    self.strideX = strideX
    self.paddingY = paddingY
    self.paddingX = paddingX
  }

  /// `(height + 2·paddingY − kernelHeight) / strideY + 1`.
  @inlinable public var outputHeight: Int {
    (height + 2 * paddingY - kernelHeight) / strideY + 1
  }
  /// `(width + 2·paddingX − kernelWidth) / strideX + 1`.
  @inlinable public var outputWidth: Int { (width + 2 * paddingX - kernelWidth) / strideX + 1 }
  /// Rows of the column matrix: `channels · kernelHeight · kernelWidth` (PyTorch weight order).
  @inlinable public var patchSize: Int { channels * kernelHeight * kernelWidth }

  /// Whether every extent is positive, the padding is smaller than the kernel and the window
  /// fits the padded input at least once.
  public var isValid: Bool {
    channels > 0 && height > 0 && width > 0 && kernelHeight > 0 && kernelWidth > 0
      && strideY > 0 && strideX > 0 && paddingY >= 0 && paddingX >= 0
      && paddingY < kernelHeight && paddingX < kernelWidth
      && height + 2 * paddingY >= kernelHeight && width + 2 * paddingX >= kernelWidth
  }

  /// The output columns `[lo, hi)` whose window column `kx` falls inside the unpadded input.
  @inlinable func validColumns(kx: Int) -> (Int, Int) {
    // ox·strideX − paddingX + kx ∈ [0, width)
    let first = paddingX - kx
    let lo = first <= 0 ? 0 : (first + strideX - 1) / strideX
    let last = width - 1 + paddingX - kx
    let hi = last < 0 ? 0 : min(outputWidth, last / strideX + 1)
    return (lo, max(lo, hi))
  }
}

/// Unfolds the windows of `images` consecutive images into a column matrix.
///
/// Input plane `(c, i)` starts at `input + c·channelStride + i·imageStride` (so NCHW uses
/// `channelStride = H·W, imageStride = C·H·W`, and CNHW uses `channelStride = N·H·W,
/// imageStride = H·W`). The result has `geometry.patchSize` rows (index `(c·kh + ky)·kw + kx`,
/// matching a PyTorch weight `[out, c, kh, kw]` flattened) and `images · OH · OW` columns
/// (image-major, then output row, then output column), each row `rowStride` floats apart.
/// Padding reads as zero.
public func im2col(
  _ input: UnsafePointer<Float>, geometry g: ConvGeometry, images: Int,
  channelStride: Int, imageStride: Int,
  into columns: UnsafeMutablePointer<Float>, rowStride: Int
) {
  let (oh, ow) = (g.outputHeight, g.outputWidth)
  let sameWidth = g.strideX == 1 && g.strideY == 1 && ow == g.width
  for c in 0..<g.channels {
    for ky in 0..<g.kernelHeight {
      for kx in 0..<g.kernelWidth {
        let row = (c * g.kernelHeight + ky) * g.kernelWidth + kx
        var dst = columns + row * rowStride
        let (lo, hi) = g.validColumns(kx: kx)
        let xOffset = kx - g.paddingX
        if sameWidth {
          // Output rows are input rows shifted by a constant offset: one long copy per image,
          // then zero the padded border columns it filled with neighbouring rows' pixels.
          let yFirst = max(0, g.paddingY - ky)
          let yEnd = min(oh, g.height + g.paddingY - ky)
          let shift = (ky - g.paddingY) * g.width + xOffset
          for i in 0..<images {
            let plane = input + c * channelStride + i * imageStride
            if yFirst >= yEnd {
              dst.update(repeating: 0, count: oh * ow)
            } else {
              let start = yFirst * ow + lo
              let end = (yEnd - 1) * ow + hi
              dst.update(repeating: 0, count: start)
              if end > start {
                (dst + start).update(from: plane + start + shift, count: end - start)
              }
              (dst + end).update(repeating: 0, count: oh * ow - end)
              for oy in yFirst..<yEnd {
                let r = dst + oy * ow
                for ox in 0..<lo { r[ox] = 0 }
                for ox in hi..<ow { r[ox] = 0 }
              }
            }
            dst += oh * ow
          }
          continue
        }
        for i in 0..<images {
          let plane = input + c * channelStride + i * imageStride
          for oy in 0..<oh {
            let iy = oy * g.strideY - g.paddingY + ky
            if iy < 0 || iy >= g.height {
              dst.update(repeating: 0, count: ow)
            } else {
              if lo > 0 { dst.update(repeating: 0, count: lo) }
              let src = plane + iy * g.width + xOffset
              if g.strideX == 1 {
                (dst + lo).update(from: src + lo, count: hi - lo)
              } else {
                for ox in lo..<hi { dst[ox] = src[ox * g.strideX] }
              }
              if hi < ow { (dst + hi).update(repeating: 0, count: ow - hi) }
            }
            dst += ow
          }
        }
      }
    }
  }
}

/// The adjoint of ``im2col(_:geometry:images:channelStride:imageStride:into:rowStride:)``:
/// adds every column entry back onto the input position it was read from (padding entries are
/// dropped). `output` uses the same plane addressing as `im2col`'s input and is accumulated
/// into, not overwritten, so zero it first for a plain fold.
public func col2im(
  _ columns: UnsafePointer<Float>, rowStride: Int, geometry g: ConvGeometry, images: Int,
  adding output: UnsafeMutablePointer<Float>, channelStride: Int, imageStride: Int
) {
  let (oh, ow) = (g.outputHeight, g.outputWidth)
  for c in 0..<g.channels {
    for ky in 0..<g.kernelHeight {
      for kx in 0..<g.kernelWidth {
        let row = (c * g.kernelHeight + ky) * g.kernelWidth + kx
        var src = columns + row * rowStride
        let (lo, hi) = g.validColumns(kx: kx)
        let xOffset = kx - g.paddingX
        for i in 0..<images {
          let plane = output + c * channelStride + i * imageStride
          for oy in 0..<oh {
            let iy = oy * g.strideY - g.paddingY + ky
            if iy >= 0 && iy < g.height {
              let dst = plane + iy * g.width + xOffset
              if g.strideX == 1 {
                for ox in lo..<hi { dst[ox] += src[ox] }
              } else {
                for ox in lo..<hi { dst[ox * g.strideX] += src[ox] }
              }
            }
            src += ow
          }
        }
      }
    }
  }
}
