#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `stat` says a path is, as far as reading it goes. Only regular files are read: opening
/// a FIFO for reading waits for a writer (for ever, if none comes), a device such as
/// `/dev/zero` reads without end, and a directory holds no bytes to decode. Every reader of
/// images, videos, model files and data folders asks this before reading.
public enum FileKind: Sendable, Equatable {
  case regular
  case directory
  /// A FIFO, a device or a socket.
  case other

  /// The kind of the file `status` describes (from `stat`, `fstat` or `fstatat`).
  public init(_ status: stat) {
    switch status.st_mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    default: self = .other
    }
  }

  /// Why a file of this kind is not read, in a message's words; nil for a regular file.
  public var refusal: String? {
    switch self {
    case .regular: nil
    case .directory: "is a directory"
    case .other: "not a regular file"
    }
  }
}
