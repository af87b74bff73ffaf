/// Why a Haar cascade could not be loaded.
public enum HaarCascadeError: Error, Equatable, CustomStringConvertible {
  /// No file at `path` (for a standard cascade: not installed, e.g. Debian's `opencv-data`
  /// package is missing, or the configured directory is wrong).
  case fileNotFound(path: String)
  /// The file exists but could not be read.
  case unreadable(path: String, reason: String)
  /// The file is not well-formed XML.
  case malformedXML(line: Int, reason: String)
  /// Well-formed XML that is not a valid cascade (missing element, bad number, index out of range).
  case invalidCascade(reason: String)
  /// A valid cascade of a kind this detector does not evaluate (LBP or HOG features, the old
  /// pre-2.4 format, a stage type other than BOOST).
  case unsupported(reason: String)

  public var description: String {
    switch self {
    case .fileNotFound(let path):
      return "Haar cascade not found at \(path) (install Debian's opencv-data or set "
        + "EMOCL_HAARCASCADES to a directory holding the OpenCV cascade XML files)"
    case .unreadable(let path, let reason): return "cannot read Haar cascade \(path): \(reason)"
    case .malformedXML(let line, let reason):
      return "Haar cascade is not well-formed XML (line \(line)): \(reason)"
    case .invalidCascade(let reason): return "invalid Haar cascade: \(reason)"
    case .unsupported(let reason): return "unsupported cascade: \(reason)"
    }
  }
}
