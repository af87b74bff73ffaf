import Vision

/// One decoded dataset image: 8-bit grey at the dataset's size.
struct GreyImage {
  var width: Int
  var height: Int
  /// `height × width` grey levels, row-major.
  var pixels: [UInt8]
  /// True when the file had another size and was resized.
  var wasResized: Bool

  /// Reads and decodes the file at `path` to grey (a colour JPEG gives its luma plane) and, when
  /// `size` is given and differs, resizes it with Vision's resize (area averaging to shrink,
  /// bilinear to grow).
  init(contentsOfFile path: String, size: ImageSize?) throws(DatasetError) {
    let bytes: [UInt8]
    do {
      bytes = try ImageFile.read(path)
    } catch {
      if case .file(_, let reason) = error { throw .unreadableFile(path: path, reason: reason) }
      throw .unreadableFile(path: path, reason: error.description)
    }
    var image: Image
    do {
      image = try Image(decoding: bytes, options: DecodeOptions(colour: .grey))
    } catch {
      throw .undecodableFile(path: path, reason: error.description)
    }
    wasResized = false
    if let size, size.width != image.width || size.height != image.height {
      do {
        image = try image.resized(width: size.width, height: size.height)
      } catch {
        throw .undecodableFile(path: path, reason: "cannot resize to \(size): \(error)")
      }
      wasResized = true
    }
    width = image.width
    height = image.height
    pixels = image.pixels
  }
}
