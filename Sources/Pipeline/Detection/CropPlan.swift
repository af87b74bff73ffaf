import Tensor

/// How one candidate box becomes an R- or O-Net crop (`[3, side, side]` normalised floats): the
/// part of the photo inside the box, and where that part lands in the crop's square.
///
/// Corners are truncated toward zero; the box covers columns `x1 − 1 ..< x2` and rows likewise.
/// Its part inside the image is resampled to the whole square (squeezed, as in facenet-pytorch)
/// or, when `padded`, to the part of the square it covers, with grey (normalised 0) where the box
/// leaves the image. A box inside the image gets the same crop either way.
struct CropPlan: Sendable {
  /// The part of the photo read: x, y, width, height (pixels).
  let from: SIMD4<Int>
  /// Where it goes in the square: x, y, width, height.
  let to: SIMD4<Int>
  /// The square's side.
  let side: Int

  /// The plan of `box` in an image of `width × height`, or nil when no part of the box is inside
  /// the image (or a corner is not a finite number of a sane size).
  init?(box b: CandidateBox, width: Int, height: Int, side: Int, padded: Bool) {
    guard let x1 = Self.truncated(b.x1), let y1 = Self.truncated(b.y1),
      let x2 = Self.truncated(b.x2), let y2 = Self.truncated(b.y2)
    else { return nil }
    // The part inside the image: columns x ..< ex, rows y ..< ey.
    let (x, y) = (max(x1 - 1, 0), max(y1 - 1, 0))
    let (ex, ey) = (min(x2, width), min(y2, height))
    guard ey > y, ex > x else { return nil }
    // Where that part lies in the square: the whole of it, or its share of the box.
    var (ox, oy, ow, oh) = (0, 0, side, side)
    if padded {
      let (bw, bh) = (Double(x2 - x1 + 1), Double(y2 - y1 + 1))
      let left = Int((Double(x - (x1 - 1)) * Double(side) / bw).rounded())
      let right = Int((Double(ex - (x1 - 1)) * Double(side) / bw).rounded())
      let top = Int((Double(y - (y1 - 1)) * Double(side) / bh).rounded())
      let bottom = Int((Double(ey - (y1 - 1)) * Double(side) / bh).rounded())
      (ox, oy) = (min(max(left, 0), side - 1), min(max(top, 0), side - 1))
      (ow, oh) = (max(1, min(right, side) - ox), max(1, min(bottom, side) - oy))
    }
    from = SIMD4(x, y, ex - x, ey - y)
    to = SIMD4(ox, oy, ow, oh)
    self.side = side
  }

  /// Whether the photo's part fills the whole square (nothing of it stays grey).
  var fillsSquare: Bool { to[2] == side && to[3] == side }

  /// Writes the crop into `crop` (`3 · side²` floats). Where the square is not filled, the rest
  /// is set to grey (0) when `clear`, else left as it is (for a buffer known to be zero).
  /// `part` is scratch for a partial square's resampled part (grown when too small).
  func render(
    from source: ResamplingSource, into crop: UnsafeMutablePointer<Float>, clear: Bool,
    part: inout [Float]
  ) {
    if fillsSquare {
      source.resample(
        x: from[0], y: from[1], width: from[2], height: from[3], outWidth: side,
        outHeight: side, into: crop)
      return
    }
    if clear { crop.update(repeating: 0, count: 3 * side * side) }
    let (ox, oy, ow, oh) = (to[0], to[1], to[2], to[3])
    if part.count < 3 * ow * oh { part = [Float](repeating: 0, count: 3 * ow * oh) }
    part.withUnsafeMutableBufferPointer { part in
      source.resample(
        x: from[0], y: from[1], width: from[2], height: from[3], outWidth: ow, outHeight: oh,
        into: part.baseAddress!)
      for channel in 0..<3 {
        for row in 0..<oh {
          (crop + (channel * side + oy + row) * side + ox).update(
            from: part.baseAddress! + (channel * oh + row) * ow, count: ow)
        }
      }
    }
  }

  /// `v` truncated toward zero, or nil when it is not a finite value of a sane size.
  private static func truncated(_ v: Float) -> Int? {
    guard v.isFinite, abs(v) < 1e9 else { return nil }
    return Int(v)
  }
}
