import CCodecs

/// PNG decoding through libpng: every colour type and bit depth, interlaced or not. 16-bit
/// samples keep their high byte (as Pillow and OpenCV do); alpha and tRNS transparency are
/// composited over white. Gamma and colour-profile chunks are ignored.
enum PNGDecoder {
  /// Width and height from IHDR (always the first chunk), without decoding.
  static func size(_ data: UnsafeRawBufferPointer) throws(ImageError) -> (width: Int, height: Int) {
    guard data.count >= 24, data[12..<16].elementsEqual(Array("IHDR".utf8)) else {
      throw .corrupt("PNG: no IHDR chunk first")
    }
    return (bigEndian32(data, at: 16), bigEndian32(data, at: 20))
  }

  static func decode(_ data: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageError)
    -> Image
  {
    // The size in IHDR (always the first chunk) is checked before libpng reads anything else
    // (without IHDR first, libpng's own header read refuses the file).
    if let size = try? Self.size(data) {
      try CodecCall.checkSize(width: size.width, height: size.height, limit: options.maxPixels)
    }
    let base = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
    var width: Int32 = 0
    var height: Int32 = 0
    var colourType: Int32 = 0
    var bitDepth: Int32 = 0
    var channels: Int32 = 0
    try CodecCall.run(.png) {
      ccodecs_png_header(
        base, data.count, &width, &height, &colourType, &bitDepth, &channels, $0)
    }
    let w = Int(width)
    let h = Int(height)
    try CodecCall.checkSize(width: w, height: h, limit: options.maxPixels)
    let stored = try CodecCall.fill(count: w * h * Int(channels)) { (out) throws(ImageError) in
      try CodecCall.run(.png) {
        ccodecs_png_decode(base, data.count, out, width, height, channels, $0)
      }
    }
    let image: Image
    switch channels {
    case 1: image = Image(width: w, height: h, channels: 1, pixels: stored)
    case 2:
      image = Image(
        width: w, height: h, channels: 1,
        pixels: AlphaCompositing.overWhite(stored, colourChannels: 1))
    case 3: image = Image(width: w, height: h, channels: 3, pixels: stored)
    case 4:
      image = Image(
        width: w, height: h, channels: 3,
        pixels: AlphaCompositing.overWhite(stored, colourChannels: 3))
    default: throw .codecFailure("PNG: unexpected channel count \(channels)")
    }
    switch options.colour {
    case .native: return image
    case .grey: return image.grey()
    case .rgb: return image.rgb()
    }
  }

  private static func bigEndian32(_ data: UnsafeRawBufferPointer, at offset: Int) -> Int {
    (offset..<offset + 4).reduce(0) { $0 << 8 | Int(data[$1]) }
  }
}
