extension Image {
  /// One-channel luma with BT.601 weights, Y = 0.299 R + 0.587 G + 0.114 B, computed exactly as
  /// OpenCV 4's `cvtColor(COLOR_RGB2GRAY)` does for 8-bit images: 15-bit fixed-point weights
  /// (9798, 19235, 3735) with rounding half up (identical for all 2^24 colours, checked against
  /// opencv-python 4.14). A grey image is returned unchanged.
  public func grey() -> Image {
    if channels == 1 { return self }
    let count = width * height
    let result = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
      pixels.withUnsafeBufferPointer { rgb in
        for i in 0..<count {
          let r = UInt32(rgb[3 * i])
          let g = UInt32(rgb[3 * i + 1])
          let b = UInt32(rgb[3 * i + 2])
          out[i] = UInt8(truncatingIfNeeded: (r * 9798 + g * 19235 + b * 3735 + 16384) >> 15)
        }
      }
      initialized = count
    }
    return Image(width: width, height: height, channels: 1, pixels: result)
  }

  /// Three channels: grey replicated into R, G and B. An RGB image is returned unchanged.
  public func rgb() -> Image {
    if channels == 3 { return self }
    let count = width * height
    let result = [UInt8](unsafeUninitializedCapacity: count * 3) { out, initialized in
      pixels.withUnsafeBufferPointer { grey in
        for i in 0..<count {
          out[3 * i] = grey[i]
          out[3 * i + 1] = grey[i]
          out[3 * i + 2] = grey[i]
        }
      }
      initialized = count * 3
    }
    return Image(width: width, height: height, channels: 3, pixels: result)
  }
}
