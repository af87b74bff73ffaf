import CCodecs

extension Image {
  /// The image encoded as an 8-bit grey or RGB PNG (default zlib compression, no interlacing).
  /// An image without pixels (a zero side) throws ``ImageError/invalidSize(width:height:)``,
  /// since PNG cannot store it.
  public func pngData() throws(ImageError) -> [UInt8] {
    guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
      throw .invalidSize(width: width, height: height)
    }
    var encoded: UnsafeMutablePointer<UInt8>?
    var size = 0
    try pixels.withUnsafeBufferPointer { (buffer) throws(ImageError) in
      try CodecCall.run(.png) {
        ccodecs_png_encode(
          buffer.baseAddress, Int32(width), Int32(height), Int32(channels), &encoded, &size, $0)
      }
    }
    defer { ccodecs_free(encoded) }
    guard let encoded else { throw .codecFailure("PNG: encoder returned no data") }
    return Array(UnsafeBufferPointer(start: encoded, count: size))
  }

  /// Encodes the image as PNG (see ``pngData()``) and writes it to `path`, replacing any file.
  public func writePNG(toFile path: String) throws(ImageError) {
    try ImageFile.write(try pngData(), to: path)
  }
}
