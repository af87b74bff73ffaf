extension Image {
  /// The `width` x `height` rectangle whose top-left pixel is (`x`, `y`).
  ///
  /// Throws ``ImageError/invalidSize(width:height:)`` for a non-positive size and
  /// ``ImageError/outOfBounds(x:y:width:height:imageWidth:imageHeight:)`` unless the rectangle
  /// lies entirely inside the image.
  public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int)
    throws(ImageError) -> Image
  {
    guard cropWidth > 0, cropHeight > 0 else {
      throw .invalidSize(width: cropWidth, height: cropHeight)
    }
    // Compared as x <= width - cropWidth so that huge values cannot overflow.
    guard x >= 0, y >= 0, cropWidth <= width, cropHeight <= height, x <= width - cropWidth,
      y <= height - cropHeight
    else {
      throw .outOfBounds(
        x: x, y: y, width: cropWidth, height: cropHeight, imageWidth: width, imageHeight: height)
    }
    let c = channels
    let rowBytes = cropWidth * c
    let result = [UInt8](unsafeUninitializedCapacity: rowBytes * cropHeight) { out, initialized in
      pixels.withUnsafeBufferPointer { source in
        for row in 0..<cropHeight {
          let from = ((y + row) * width + x) * c
          for i in 0..<rowBytes { out[row * rowBytes + i] = source[from + i] }
        }
      }
      initialized = rowBytes * cropHeight
    }
    return Image(width: cropWidth, height: cropHeight, channels: c, pixels: result)
  }

  /// The image mirrored left to right.
  public func flippedHorizontally() -> Image { transformed(by: .upMirrored) }
}
