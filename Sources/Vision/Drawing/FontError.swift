/// Why a font could not be loaded or text could not be rendered.
public enum FontError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No file at the path (e.g. the Debian package fonts-dejavu-core is not installed).
  case fileNotFound(path: String)
  /// FreeType could not open the file as a font.
  case unreadableFont(path: String, freeTypeError: Int32)
  /// FreeType failed while setting the size or rendering.
  case renderingFailed(String)
  /// A pixel size outside 1…`Font.maxPixelSize`.
  case invalidSize(Int)

  public var description: String {
    switch self {
    case .fileNotFound(let path):
      return "font file not found: \(path) (on Debian, install fonts-dejavu-core)"
    case .unreadableFont(let path, let code):
      return "cannot load font \(path): FreeType error \(code)"
    case .renderingFailed(let reason):
      return "text rendering failed: \(reason)"
    case .invalidSize(let size):
      return "font size must be between 1 and \(Font.maxPixelSize) pixels, got \(size)"
    }
  }
}
