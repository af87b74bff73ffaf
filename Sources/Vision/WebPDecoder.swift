import CCodecs

/// Still WebP decoding (lossy or lossless) through libwebp. WebP stores colour, so the native
/// layout is RGB; alpha is composited over white. Animated WebP is refused as unsupported.
enum WebPDecoder {
  /// What the header says: the size, alpha, animation.
  struct Header {
    var width: Int32 = 0
    var height: Int32 = 0
    var hasAlpha: Int32 = 0
    var hasAnimation: Int32 = 0
  }

  /// The header, read without decoding.
  static func header(_ data: UnsafeRawBufferPointer) throws(ImageError) -> Header {
    let base = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
    var header = Header()
    try CodecCall.run(.webp) {
      ccodecs_webp_header(
        base, data.count, &header.width, &header.height, &header.hasAlpha, &header.hasAnimation,
        $0)
    }
    return header
  }

  /// Width and height from the header, without decoding.
  static func size(_ data: UnsafeRawBufferPointer) throws(ImageError) -> (width: Int, height: Int) {
    let header = try Self.header(data)
    return (Int(header.width), Int(header.height))
  }

  static func decode(_ data: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageError)
    -> Image
  {
    let base = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let header = try Self.header(data)
    let (width, height, hasAlpha, hasAnimation) = (
      header.width, header.height, header.hasAlpha, header.hasAnimation
    )
    if hasAnimation != 0 { throw .unsupported("WebP: animated WebP is not decoded") }
    let w = Int(width)
    let h = Int(height)
    try CodecCall.checkSize(width: w, height: h, limit: options.maxPixels)
    let channels: Int32 = hasAlpha != 0 ? 4 : 3
    let stored = try CodecCall.fill(count: w * h * Int(channels)) { (out) throws(ImageError) in
      try CodecCall.run(.webp) {
        ccodecs_webp_decode(base, data.count, out, width, height, channels, $0)
      }
    }
    let pixels = channels == 4 ? AlphaCompositing.overWhite(stored, colourChannels: 3) : stored
    let image = Image(width: w, height: h, channels: 3, pixels: pixels)
    return options.colour == .grey ? image.grey() : image
  }
}
