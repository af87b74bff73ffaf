/// Why a detection could not run.
public enum FaceDetectionError: Error, Equatable, CustomStringConvertible {
  /// The image is not single-channel grey.
  case notGrey(channels: Int)
  /// An option is out of range.
  case invalidOptions(reason: String)

  public var description: String {
    switch self {
    case .notGrey(let channels):
      return "face detection needs a grey image (1 channel), got \(channels) channels"
    case .invalidOptions(let reason): return "invalid detection options: \(reason)"
    }
  }
}
