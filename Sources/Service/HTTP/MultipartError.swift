/// A `multipart/form-data` body that cannot be parsed.
public enum MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The `Content-Type` has no usable `boundary` parameter.
  case missingBoundary
  /// The body does not follow RFC 2046 (e.g. no opening delimiter, truncated, bad headers).
  case malformed(String)
  /// More parts than the caller allows.
  case tooManyParts(limit: Int)

  public var description: String {
    switch self {
    case .missingBoundary:
      "multipart Content-Type without a boundary parameter of 1 to 70 characters (RFC 2046)"
    case .malformed(let why): "malformed multipart body: \(why)"
    case .tooManyParts(let limit): "more than \(limit) parts in the multipart body"
    }
  }
}
