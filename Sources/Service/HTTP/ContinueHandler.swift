import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a request head carrying `Expect: 100-continue` with `100 Continue`, so that a client
/// that waits for it before sending its body (curl does for bodies over 1 MB) sends it at once
/// instead of after its own timeout (a second for curl).
///
/// No `100 Continue` goes out when the head announces a body larger than any route takes
/// (`maxBody`): the route's 413 answers it, and the body need not be sent at all. Nor while an
/// earlier request on the connection still awaits the end of its response (pipelined
/// requests): the interim answer must not land inside another response; such a client sends
/// its body after its timeout. Sits between the HTTP/1 codec and the server's handlers, one per
/// connection.
final class ContinueHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  /// The largest body any route accepts, in bytes.
  let maxBody: Int
  /// Request heads read, and final responses whose end was written, on this connection.
  private var requests = 0
  private var responses = 0

  init(maxBody: Int) { self.maxBody = maxBody }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head(let request) = unwrapInboundIn(data) {
      requests += 1
      if Self.expectsContinue(request), requests == responses + 1,
        Self.declaredLength(request).map({ $0 <= maxBody }) ?? true
      {
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
      }
    }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .end = unwrapOutboundIn(data) { responses += 1 }
    context.write(data, promise: promise)
  }

  /// Whether the head asks for `100 Continue` (the expectation's value is case-insensitive).
  static func expectsContinue(_ request: HTTPRequest) -> Bool {
    request.headerFields[values: .expect].contains { $0.lowercased() == "100-continue" }
  }

  /// The head's `Content-Length`, nil when absent or not a number.
  static func declaredLength(_ request: HTTPRequest) -> Int? {
    request.headerFields[.contentLength].flatMap { Int($0) }
  }
}
