import CCodecs

/// JPEG decoding through TurboJPEG (accurate integer DCT and fancy upsampling, as libjpeg's
/// defaults used by Pillow and OpenCV).
enum JPEGDecoder {
  /// What the header says: the size and the stored colour space.
  struct Header {
    var width: Int32 = 0
    var height: Int32 = 0
    var colourspace: Int32 = 0
  }

  /// The header, read without decoding.
  static func header(_ data: UnsafeRawBufferPointer) throws(ImageError) -> Header {
    let base = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
    var header = Header()
    try CodecCall.run(.jpeg) {
      ccodecs_jpeg_header(
        base, data.count, &header.width, &header.height, &header.colourspace, $0)
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
    let (width, height, colourspace) = (header.width, header.height, header.colourspace)
    let w = Int(width)
    let h = Int(height)
    try CodecCall.checkSize(width: w, height: h, limit: options.maxPixels)

    let storedGrey = colourspace == Int32(CCODECS_JPEG_GRAY.rawValue)
    let storedCMYK =
      colourspace == Int32(CCODECS_JPEG_CMYK.rawValue)
      || colourspace == Int32(CCODECS_JPEG_YCCK.rawValue)
    let wantsGrey = options.colour == .grey || (options.colour == .native && storedGrey)

    func decodePixels(_ output: ccodecs_jpeg_output) throws(ImageError) -> [UInt8] {
      try CodecCall.fill(count: w * h * Int(output.rawValue)) { (out) throws(ImageError) in
        try CodecCall.run(.jpeg) {
          ccodecs_jpeg_decode(
            base, data.count, out, width, height, output, options.strict ? 1 : 0, $0)
        }
      }
    }

    var image: Image
    if storedCMYK {
      // libjpeg cannot convert CMYK to RGB; do it here.
      let rgb = Image(
        width: w, height: h, channels: 3, pixels: cmykToRGB(try decodePixels(CCODECS_JPEG_OUT_CMYK))
      )
      image = wantsGrey ? rgb.grey() : rgb
    } else if wantsGrey {
      image = Image(
        width: w, height: h, channels: 1, pixels: try decodePixels(CCODECS_JPEG_OUT_GRAY))
    } else {
      image = Image(
        width: w, height: h, channels: 3, pixels: try decodePixels(CCODECS_JPEG_OUT_RGB))
    }
    if options.appliesOrientation, let orientation = ExifOrientation(jpeg: data),
      orientation != .up
    {
      image = image.transformed(by: orientation)
    }
    return image
  }

  /// CMYK as Adobe applications store it in JPEGs (inverted: 255 means no ink) to RGB:
  /// R = C * K / 255, and likewise for G (M) and B (Y).
  private static func cmykToRGB(_ cmyk: [UInt8]) -> [UInt8] {
    let count = cmyk.count / 4
    return [UInt8](unsafeUninitializedCapacity: count * 3) { rgb, initialized in
      cmyk.withUnsafeBufferPointer { source in
        for i in 0..<count {
          let k = UInt32(source[4 * i + 3])
          for c in 0..<3 {
            rgb[3 * i + c] = UInt8((UInt32(source[4 * i + c]) * k + 127) / 255)
          }
        }
      }
      initialized = count * 3
    }
  }
}
