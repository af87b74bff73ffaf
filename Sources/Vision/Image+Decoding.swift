extension Image {
  /// Decodes JPEG, PNG or WebP `bytes`; the format is recognised from the bytes, not a name.
  ///
  /// The size is checked against `options.maxPixels` from the header, before any pixel is
  /// allocated. Alpha is composited over white. JPEGs are turned upright by their EXIF
  /// orientation (unless `options.appliesOrientation` is false).
  public init(decoding bytes: [UInt8], options: DecodeOptions = .init()) throws(ImageError) {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(ImageError) -> Image in try Image(decoding: buffer, options: options) }
    }
    self = try result.get()
  }

  /// Decodes JPEG, PNG or WebP bytes in `buffer`; see the `[UInt8]` variant.
  public init(decoding buffer: UnsafeRawBufferPointer, options: DecodeOptions = .init())
    throws(ImageError)
  {
    guard buffer.count > 0 else { throw .empty }
    switch ImageFormat.detect(buffer) {
    case .jpeg: self = try JPEGDecoder.decode(buffer, options: options)
    case .png: self = try PNGDecoder.decode(buffer, options: options)
    case .webp: self = try WebPDecoder.decode(buffer, options: options)
    case nil: throw .unknownFormat(leadingBytes: Array(buffer.prefix(8)))
    }
  }

  /// The width and height the header of JPEG, PNG or WebP `bytes` announces, read without
  /// decoding or allocating pixels (to weigh an image's cost before committing memory to it).
  /// Throws what decoding would for an unknown format or a header that cannot be read.
  public static func encodedSize(of bytes: [UInt8]) throws(ImageError) -> (width: Int, height: Int)
  {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(ImageError) -> (width: Int, height: Int) in
        guard buffer.count > 0 else { throw .empty }
        switch ImageFormat.detect(buffer) {
        case .jpeg: return try JPEGDecoder.size(buffer)
        case .png: return try PNGDecoder.size(buffer)
        case .webp: return try WebPDecoder.size(buffer)
        case nil: throw .unknownFormat(leadingBytes: Array(buffer.prefix(8)))
        }
      }
    }
    return try result.get()
  }
}
