/// Why a video could not be read or written. Every failure of `VideoReader` and `VideoWriter`
/// is one of these: bad input never traps, exits or hangs.
public enum VideoError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file holds no bytes.
  case empty(path: String)
  /// The file could not be opened, read or created.
  case file(path: String, reason: String)
  /// The bytes are no video container read here, or hold no video stream.
  case notVideo(String)
  /// The container or the stream is damaged or truncated.
  case corrupt(String)
  /// A codec or container this FFmpeg build cannot decode or encode.
  case unsupported(String)
  /// The frames are larger than the reader's limits (checked before any frame is decoded).
  case tooLarge(String)
  /// FFmpeg itself failed (out of memory, cannot initialise).
  case codecFailure(String)

  public var description: String {
    switch self {
    case .empty(let path): "video file is empty: \(path)"
    case .file(let path, let reason): "cannot access \(path): \(reason)"
    case .notVideo(let reason): "not a video: \(reason)"
    case .corrupt(let reason): "corrupt video: \(reason)"
    case .unsupported(let reason): "unsupported video: \(reason)"
    case .tooLarge(let reason): "video is too large: \(reason)"
    case .codecFailure(let reason): "video codec failed: \(reason)"
    }
  }
}
