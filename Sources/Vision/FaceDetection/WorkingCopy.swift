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
  /// pixels they have).
  static func boxAverage(_ image: Image, factor: Int) -> Image {
    let width = (image.width + factor - 1) / factor
    let height = (image.height + factor - 1) / factor
    var sums = [UInt32](repeating: 0, count: width * height)
    var counts = [UInt32](repeating: 0, count: width * height)
    image.pixels.withUnsafeBufferPointer { src in
      for y in 0..<image.height {
        let row = (y / factor) * width
        let line = y * image.width
        for x in 0..<image.width {
          sums[row + x / factor] += UInt32(src[line + x])
          counts[row + x / factor] += 1
        }
      }
    }
    let pixels = (0..<(width * height)).map { i in UInt8((sums[i] + counts[i] / 2) / counts[i]) }
    return Image(width: width, height: height, channels: 1, pixels: pixels)
  }
}
