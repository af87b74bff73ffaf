extension Image {
  /// The upright picture of pixels stored with `orientation`: mirrored and/or rotated so that
  /// the result looks as EXIF viewers show it. Orientations 5 to 8 swap width and height.
  public func transformed(by orientation: ExifOrientation) -> Image {
    if orientation == .up { return self }
    let w = width
    let h = height
    // Source coordinates as an affine map of output (x, y):
    // sx = ax*x + bx*y + cx, sy = ay*x + by*y + cy.
    let (ax, bx, cx, ay, by, cy): (Int, Int, Int, Int, Int, Int)
    switch orientation {
    case .up: (ax, bx, cx, ay, by, cy) = (1, 0, 0, 0, 1, 0)
    case .upMirrored: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, 1, 0)
    case .down: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, -1, h - 1)
    case .downMirrored: (ax, bx, cx, ay, by, cy) = (1, 0, 0, 0, -1, h - 1)
    case .leftMirrored: (ax, bx, cx, ay, by, cy) = (0, 1, 0, 1, 0, 0)
    case .right: (ax, bx, cx, ay, by, cy) = (0, 1, 0, -1, 0, h - 1)
    case .rightMirrored: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, -1, 0, h - 1)
    case .left: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, 1, 0, 0)
    }
    let outWidth = orientation.swapsSides ? h : w
    let outHeight = orientation.swapsSides ? w : h
    // Source pixel index = origin + x * stepX + y * stepY.
    let stepX = ay * w + ax
    let stepY = by * w + bx
    let origin = cy * w + cx
    let c = channels
    let count = outWidth * outHeight * c
    let result = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
      pixels.withUnsafeBufferPointer { source in
        var o = 0
        for y in 0..<outHeight {
          var s = origin + y * stepY
          for _ in 0..<outWidth {
            for k in 0..<c { out[o + k] = source[s * c + k] }
            o += c
            s += stepX
          }
        }
      }
      initialized = count
    }
    return Image(width: outWidth, height: outHeight, channels: c, pixels: result)
  }
}
