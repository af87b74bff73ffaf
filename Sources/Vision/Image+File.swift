extension Image {
  /// Reads the file at `path` and decodes it (see `init(decoding:options:)`).
  /// Missing, unreadable, non-regular or oversized (`ImageFile.maxBytes`) files throw
  /// ``ImageError/file(path:reason:)``.
  public init(contentsOfFile path: String, options: DecodeOptions = .init()) throws(ImageError) {
    let bytes = try ImageFile.read(path)
    try self.init(decoding: bytes, options: options)
  }
}
