import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP/1 decoder cannot read (a head over the size limits, a malformed
/// request line, conflicting lengths) with a problem+json body, as every other error is
/// answered, then closes the connection: 431 `headers-too-large` for a head over the limits
/// (which a very long target is too), 400 `bad-request` otherwise. The server answered these
/// with an empty 400.
///
/// Only between requests: an error while a request is being read (its body) goes on to the
/// route, whose middleware answers it. Sits after the HTTP/1 codec, one per connection.
final class ParseErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  /// Whether a request head was read whose end has not been (its body is being read).
  private var inRequest = false
  /// Whether this handler answered and is closing the connection.
  private var answered = false

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head: inRequest = true
    case .end: inRequest = false
    case .body: break
    }
    context.fireChannelRead(data)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    guard let parse = error as? HTTPParserError, !inRequest else {
      context.fireErrorCaught(error)
      return
    }
    guard !answered else { return }
    answered = true
    // On the connection's event loop, where `context` may be used.
    Self.problem(for: parse).writeClosing(to: context).assumeIsolated().whenComplete { _ in
      context.close(promise: nil)
    }
  }

  /// The problem for a request the decoder could not read.
  static func problem(for error: HTTPParserError) -> Problem {
    if error == .headerOverflow {
      return Problem(
        .requestHeaderFieldsTooLarge, kind: "headers-too-large",
        detail: "the request line and headers exceed the server's limits")
    }
    return Problem(
      .badRequest, kind: "bad-request", detail: "the request is not valid HTTP/1.1: \(error)")
  }
}
