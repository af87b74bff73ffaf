/// Why an image could not be read, decoded, encoded or transformed.
///
/// Every failure of the Vision image layer is one of these cases: bad input never traps, exits
/// or allocates beyond ``DecodeOptions/maxPixels``.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The data holds no bytes.
  case empty
  /// The bytes are not JPEG, PNG or WebP; `leadingBytes` holds up to the first 8 bytes.
  case unknownFormat(leadingBytes: [UInt8])
  /// The data is damaged or truncated; the message names the format and the codec's reason.
  case corrupt(String)
  /// The file is valid but uses a feature this layer does not decode (e.g. animated WebP).
  case unsupported(String)
  /// The header announces more pixels than the limit (checked before any pixel is allocated).
  case tooLarge(width: Int, height: Int, limit: Int)
  /// A requested or stored size that no image can have (zero or negative sides).
  case invalidSize(width: Int, height: Int)
  /// A crop rectangle that does not lie inside the image.
  case outOfBounds(x: Int, y: Int, width: Int, height: Int, imageWidth: Int, imageHeight: Int)
  /// A file that could not be read or written.
  case file(path: String, reason: String)
  /// The codec library itself failed (out of memory, cannot initialise).
  case codecFailure(String)

  public var description: String {
    switch self {
    case .empty:
      return "image data is empty"
    case .unknownFormat(let bytes):
      let hex = bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
      }.joined(separator: " ")
      let known = Self.otherFormatName(bytes).map { " (looks like \($0))" } ?? ""
      return "unknown image format\(known): data starts with [\(hex)]; supported: JPEG, PNG, WebP"
    case .corrupt(let reason):
      return "corrupt image: \(reason)"
    case .unsupported(let reason):
      return "unsupported image: \(reason)"
    case .tooLarge(let width, let height, let limit):
      return "image is too large: \(width)x\(height) pixels exceeds the limit of \(limit) pixels"
    case .invalidSize(let width, let height):
      return "invalid image size \(width)x\(height)"
    case .outOfBounds(let x, let y, let width, let height, let imageWidth, let imageHeight):
      return "rectangle \(width)x\(height) at (\(x), \(y)) is not inside the "
        + "\(imageWidth)x\(imageHeight) image"
    case .file(let path, let reason):
      return "cannot access \(path): \(reason)"
    case .codecFailure(let reason):
      return "image codec failed: \(reason)"
    }
  }

  /// Names a common format this layer does not decode, to make the message actionable.
  private static func otherFormatName(_ bytes: [UInt8]) -> String? {
    if bytes.starts(with: Array("GIF8".utf8)) { return "GIF" }
    if bytes.starts(with: Array("BM".utf8)) { return "BMP" }
    if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
    {
      return "TIFF"
    }
    if bytes.count >= 8, bytes[4..<8].elementsEqual(Array("ftyp".utf8)) { return "HEIF/AVIF" }
    return nil
  }
}
