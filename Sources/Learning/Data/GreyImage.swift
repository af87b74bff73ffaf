import Vision

/// One decoded dataset image: 8-bit grey at the dataset's size.
struct GreyImage {
  var width: Int
  var height: Int
  /// `height × width` grey levels, row-major.
  var pixels: [UInt8]
  /// True when the file had another size and was resized.
  var wasResized: Bool

  /// Reads and decodes the file at `path` to grey (a colour JPEG gives its luma plane). When
  /// `size` is given and the image has another size, it is a `DatasetError.sizeMismatch`.
  init(contentsOfFile path: String, size: ImageSize?) throws(DatasetError) {
    let bytes: [UInt8]
    do {
      bytes = try ImageFile.read(path)
    } catch {
      if case .file(_, let reason) = error { throw .unreadableFile(path: path, reason: reason) }
      throw .unreadableFile(path: path, reason: error.description)
    }
    let image: Image
    do {
      image = try Image(decoding: bytes, options: DecodeOptions(colour: .grey))
    } catch {
      throw .undecodableFile(path: path, reason: error.description)
    }
    if let size, size.width != image.width || size.height != image.height {
      throw .sizeMismatch(
        path: path, size: ImageSize(width: image.width, height: image.height), expected: size)
    }
    width = image.width
    height = image.height
    pixels = image.pixels
    wasResized = false
  }
}
