/// Resampling a grey image to the detector's working size (or an eye-check region's). Integer factors are first averaged
/// over whole blocks (a box filter, so the bilinear step that follows does not alias fine
/// texture into face-like patterns), then bilinear takes it to the exact size.
enum WorkingCopy {
  static func shrink(_ image: Image, width: Int, height: Int) -> Image {
    let factor = min(image.width / max(width, 1), image.height / max(height, 1))
    var source = image
    if factor >= 2 {
      source = boxAverage(image, factor: factor)
    }
    if source.width == width && source.height == height { return source }
    var out = [UInt8](repeating: 0, count: width * height)
    source.pixels.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        LinearResize.resize(
          src.baseAddress!, sourceWidth: source.width, sourceHeight: source.height,
          into: dst.baseAddress!, width: width, height: height)
      }
    }
    return Image(width: width, height: height, channels: 1, pixels: out)
  }

  /// Averages `factor x factor` blocks (partial blocks at the right and bottom edges average the
  /// pixels they have), rounding to nearest.
  static func boxAverage(_ image: Image, factor: Int) -> Image {
    let width = (image.width + factor - 1) / factor
    let height = (image.height + factor - 1) / factor
    var out = [UInt8](repeating: 0, count: width * height)
    var sums = [UInt32](repeating: 0, count: width)
    image.pixels.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { destination in
        sums.withUnsafeMutableBufferPointer { sum in
          for blockRow in 0..<height {
            let top = blockRow * factor
            let rows = min(factor, image.height - top)
            for i in 0..<width { sum[i] = 0 }
            for y in top..<(top + rows) {
              let line = source.baseAddress! + y * image.width
              var x = 0
              for block in 0..<width {
                let end = min(x + factor, image.width)
                var total: UInt32 = 0
                while x < end {
                  total &+= UInt32(line[x])
                  x += 1
                }
                sum[block] &+= total
              }
            }
            let row = destination.baseAddress! + blockRow * width
            for block in 0..<width {
              let columns = UInt32(min(factor, image.width - block * factor))
              let count = columns * UInt32(rows)
              row[block] = UInt8(truncatingIfNeeded: (sum[block] + count / 2) / count)
            }
          }
        }
      }
    }
    return Image(width: width, height: height, channels: 1, pixels: out)
  }
}
