import Foundation
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// An RFC 9457 problem detail, sent as `application/problem+json`. Every error the service
/// returns is one of these; `kind` names it in metrics and in `type` (`/problems/<kind>`).
public struct Problem: Error, Sendable, Equatable {
  /// Short machine name, e.g. `not-an-image`; the `type` member is `/problems/<kind>`.
  public var kind: String
  public var status: HTTPResponse.Status
  /// What went wrong with this request, for people.
  public var detail: String
  /// Extra response headers (`Retry-After`, `Allow`, `WWW-Authenticate`).
  public var headers: HTTPFields

  public init(
    _ status: HTTPResponse.Status, kind: String, detail: String, headers: HTTPFields = [:]
  ) {
    self.status = status
    self.kind = kind
    self.detail = detail
    self.headers = headers
  }

  /// The JSON members, with `instance` set to the request path.
  func body(instance: String?) -> [String: Any] {
    var body: [String: Any] = [
      "type": "/problems/\(kind)", "title": status.reasonPhrase, "status": status.code,
      "detail": detail,
    ]
    if let instance { body["instance"] = instance }
    return body
  }

  /// The JSON body of ``body(instance:)``, as every problem response carries it.
  func encoded(instance: String?) -> Data {
    (try? JSONSerialization.data(
      withJSONObject: body(instance: instance), options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data()
  }

  /// Writes the problem through `context` as a response that closes its connection
  /// (`Connection: close`), for the channel handlers that answer below the router (no
  /// `instance`: nothing was routed). The future completes once the response's end is
  /// written. On the connection's event loop.
  func writeClosing(to context: ChannelHandlerContext) -> EventLoopFuture<Void> {
    let body = encoded(instance: nil)
    var head = HTTPResponse(status: status, headerFields: headers)
    head.headerFields[.contentType] = "application/problem+json"
    head.headerFields[.contentLength] = String(body.count)
    head.headerFields[.connection] = "close"
    context.write(NIOAny(HTTPResponsePart.head(head)), promise: nil)
    context.write(NIOAny(HTTPResponsePart.body(ByteBuffer(bytes: body))), promise: nil)
    return context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)))
  }

  /// The problem as a response.
  func response(instance: String?) -> Response {
    let data = encoded(instance: instance)
    var headers = self.headers
    headers[.contentType] = "application/problem+json"
    return Response(
      status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

extension Problem {
  /// 400: a query parameter, header or form field has a bad value.
  static func badParameter(_ name: String, _ detail: String) -> Problem {
    Problem(.badRequest, kind: "bad-parameter", detail: "\(name): \(detail)")
  }

  /// 499 (nginx's code): the client closed or reset the connection before its body ended;
  /// nothing can answer it, and it is not counted as a server error.
  static let clientClosed = Problem(
    HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request"),
    kind: "client-closed", detail: "the client closed the connection before its body ended")

  /// 503: the database cannot be reached; clients should retry after `retryAfter` seconds.
  static func databaseDown(_ database: String, _ error: any Error, retryAfter: Int = 5) -> Problem {
    Problem(
      .serviceUnavailable, kind: "database-unavailable",
      detail: "the \(database) database is unavailable: \(error)",
      headers: [.retryAfter: String(retryAfter)])
  }

  /// The problem for an analyzer error.
  static func analysis(_ error: AnalyzerError) -> Problem {
    switch error {
    case .notAnImage(let m): Problem(.unsupportedMediaType, kind: "not-an-image", detail: m)
    case .tooLarge(let m): Problem(.contentTooLarge, kind: "image-too-large", detail: m)
    case .unusable(let m): Problem(.unprocessableContent, kind: "unusable-image", detail: m)
    case .unknownModel(let m): Problem(.badRequest, kind: "unknown-model", detail: m)
    case .overloaded(let m):
      Problem(.serviceUnavailable, kind: "overloaded", detail: m, headers: [.retryAfter: "1"])
    }
  }
}
