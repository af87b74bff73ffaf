/// Bilinear resizing of 8-bit grey pixels, bit-exact with OpenCV's `cv::resize(...,
/// INTER_LINEAR_EXACT)`, which OpenCV 4's `CascadeClassifier` uses to build its pyramid.
///
/// Each output coordinate `d` samples the source at `f = (d + 0.5) · (source / destination) −
/// 0.5` (in Double). The fraction becomes an 8-bit fixed-point weight `c1 = round(frac · 256)`
/// (ties to even), `c0 = 256 − c1`; outside the source (`f < 0`, or past the last pixel) the
/// nearest edge pixel is used with weights (256, 0). The horizontal pass is exact
/// (`c0·p0 + c1·p1`, 8.8 fixed point); the vertical pass rounds once:
/// `(h0·c0 + h1·c1 + 2^15) >> 16`. Matching this to the last bit matters: the cascade's
/// thresholds are sharp, and one grey level flips windows.
enum LinearResize {
  /// Source offsets and `(c0, c1)` weight pairs for each destination coordinate along one axis.
  static func coefficients(source: Int, destination: Int) -> (offsets: [Int], weights: [Int32]) {
    let scale = 1.0 / (Double(destination) / Double(source))
    var offsets = [Int](repeating: 0, count: destination)
    var weights = [Int32](repeating: 0, count: destination * 2)
    for d in 0..<destination {
      let f = scale * (Double(d) + 0.5) - 0.5
      let i = f.rounded(.down)
      var offset = 0
      var c1: Int32 = 0
      if i >= 0 && source > 1 {
        if i < Double(source - 1) {
          offset = Int(i)
          c1 = Int32(((f - i) * 256).rounded(.toNearestOrEven))
        } else {
          offset = source - 1
        }
      }
      offsets[d] = offset
      weights[2 * d] = 256 - c1
      weights[2 * d + 1] = c1
    }
    return (offsets, weights)
  }

  /// Resizes `source` (`sourceWidth` x `sourceHeight`, packed rows) into `destination`
  /// (`width` x `height`, packed rows).
  static func resize(
    _ source: UnsafePointer<UInt8>, sourceWidth: Int, sourceHeight: Int,
    into destination: UnsafeMutablePointer<UInt8>, width: Int, height: Int
  ) {
    if width == sourceWidth && height == sourceHeight {
      destination.update(from: source, count: width * height)
      return
    }
    let (xOffsets, xWeights) = coefficients(source: sourceWidth, destination: width)
    let (yOffsets, yWeights) = coefficients(source: sourceHeight, destination: height)
    // Two horizontal rows, keyed by source row; rows are visited in increasing order, so the
    // slot to replace is always the one holding the lower row.
    let rows = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * width)
    defer { rows.deallocate() }
    var cached = (-1, -1)
    let last = sourceWidth - 1
    xOffsets.withUnsafeBufferPointer { xo in
      xWeights.withUnsafeBufferPointer { xw in
        func horizontal(_ sourceRow: Int) -> UnsafeMutablePointer<Int32> {
          if cached.0 == sourceRow { return rows }
          if cached.1 == sourceRow { return rows + width }
          let slot = cached.0 < cached.1 ? 0 : 1
          if slot == 0 { cached.0 = sourceRow } else { cached.1 = sourceRow }
          let out = rows + slot * width
          let line = source + sourceRow * sourceWidth
          for x in 0..<width {
            let s = xo[x]
            out[x] = xw[2 * x] &* Int32(line[s]) &+ xw[2 * x + 1] &* Int32(line[min(s + 1, last)])
          }
          return out
        }
        for y in 0..<height {
          let sy = yOffsets[y]
          let c0 = yWeights[2 * y]
          let c1 = yWeights[2 * y + 1]
          let r0 = horizontal(sy)
          let r1 = c1 == 0 ? r0 : horizontal(min(sy + 1, sourceHeight - 1))
          let out = destination + y * width
          for x in 0..<width {
            out[x] = UInt8(truncatingIfNeeded: (r0[x] &* c0 &+ r1[x] &* c1 &+ 32768) >> 16)
          }
        }
      }
    }
  }
}
