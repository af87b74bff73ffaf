import Foundation

/// The system's words for a failed file operation. Foundation on Linux describes a failed
/// `createDirectory` as `The operation could not be completed` (or an `NSCocoaErrorDomain`
/// dump) and keeps the `errno` in its underlying error; this reads it.
public enum FileErrorReason {
  /// `strerror` of the underlying POSIX error when there is one, else the error's localized
  /// description (an ``ImageError``'s own description).
  public static func describe(_ error: any Error) -> String {
    let ns = error as NSError
    switch ns.userInfo[NSUnderlyingErrorKey] {
    case let posix as POSIXError:
      return String(cString: strerror(posix.code.rawValue))
    case let underlying as NSError where underlying.domain == NSPOSIXErrorDomain:
      return String(cString: strerror(Int32(underlying.code)))
    default:
      return ns.localizedDescription
    }
  }
}
