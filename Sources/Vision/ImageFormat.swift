/// The encoded formats the image layer decodes, recognised by their leading bytes.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
  /// JPEG/JFIF/Exif (baseline, progressive or arithmetic-coded; 8-bit samples).
  case jpeg
  /// PNG of any colour type and bit depth.
  case png
  /// Still WebP (lossy or lossless).
  case webp

  public var description: String {
    switch self {
    case .jpeg: return "JPEG"
    case .png: return "PNG"
    case .webp: return "WebP"
    }
  }

  /// The format whose magic number starts `bytes`, or nil. The file name plays no part.
  public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
    bytes.withUnsafeBytes { detect($0) }
  }

  /// The format whose magic number starts `bytes`, or nil.
  public static func detect(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
    if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
    if bytes.count >= 8, bytes.prefix(8).elementsEqual(pngSignature) { return .png }
    if bytes.count >= 12, bytes.prefix(4).elementsEqual(riff), bytes[8..<12].elementsEqual(webpTag)
    {
      return .webp
    }
    return nil
  }

  /// The 8-byte signature every PNG starts with.
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
  private static let riff: [UInt8] = Array("RIFF".utf8)
  private static let webpTag: [UInt8] = Array("WEBP".utf8)
}
