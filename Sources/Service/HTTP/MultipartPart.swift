/// One part of a `multipart/form-data` body (RFC 7578).
public struct MultipartPart: Sendable, Equatable {
  /// The `name` of its `Content-Disposition: form-data` header.
  public var name: String?
  /// The `filename` of its `Content-Disposition` header, when a file was sent.
  public var filename: String?
  /// Its `Content-Type` header, when present.
  public var contentType: String?
  /// The part's bytes, exactly as sent.
  public var body: [UInt8]

  public init(name: String?, filename: String?, contentType: String?, body: [UInt8]) {
    self.name = name
    self.filename = filename
    self.contentType = contentType
    self.body = body
  }
}
