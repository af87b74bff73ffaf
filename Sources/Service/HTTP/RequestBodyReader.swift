import Hummingbird

/// Reads a request body whole, within a size limit and a time limit: the one way routes read
/// small bodies, so no route can be held open by a body that never ends.
enum RequestBodyReader {
  /// The body's bytes. Refused at once (413 `body-too-large`) when `Content-Length` already
  /// says it is larger than `limit`, and as soon as more than `limit` bytes arrive; refused with
  /// 408 `body-timeout` at the first chunk after `timeout` (`BodyDeadline`). A client that
  /// stops sending is closed by the idle timeout.
  static func collect(_ request: Request, limit: Int, timeout: Duration) async throws -> [UInt8] {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      throw Problem(
        .contentTooLarge, kind: "body-too-large",
        detail: "the body is \(length) bytes; the limit is \(limit)")
    }
    let deadline = BodyDeadline(timeout, for: "the request body")
    var bytes: [UInt8] = []
    for try await chunk in request.body {
      try deadline.check()
      guard bytes.count + chunk.readableBytes <= limit else {
        throw Problem(
          .contentTooLarge, kind: "body-too-large",
          detail: "the body exceeds the limit of \(limit) bytes")
      }
      bytes.append(contentsOf: chunk.readableBytesView)
    }
    return bytes
  }

  /// Whether the request announces a body (a `Content-Length` above 0, or chunked).
  static func announcesBody(_ request: Request) -> Bool {
    if request.headers[.transferEncoding] != nil { return true }
    return request.headers[.contentLength].flatMap { Int($0) }.map { $0 > 0 } ?? false
  }
}
