import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection so that a client still sending reads the last answer: the server's side
/// is shut first (the answer, then a FIN), what the client goes on sending is read and dropped,
/// and the socket is closed once the client closes its side or after `linger` (a lingering
/// close, as other HTTP servers make).
///
/// Why: the server ends a connection while the client is still sending when it refuses a body
/// (408 `body-timeout`) or cannot read a request (431, 400). Closing a socket with unread bytes
/// makes the kernel send a reset at once and drop what is still in its send buffer, so such a
/// client saw a reset instead of the answer. A close the client started, or one with nothing
/// left to read, ends at the client's FIN.
///
/// A response whose head says `Connection: close` is followed by this close once its end is
/// written, so a route refuses a body by answering with that header (see `BodyDeadline`);
/// every other close the server's handlers ask for passes through here too (this handler comes
/// right after the HTTP/1 codec). A close while a request's body is still arriving and nothing
/// has been answered (the idle timeout of a client that stopped sending mid-body) answers 408
/// `body-timeout` first, so that client learns why. One per connection.
final class LingeringCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  /// The longest a closing connection is kept open to drain the client's bytes.
  let linger: TimeAmount
  /// Whether the response being written said `Connection: close`.
  private var closeAfterResponse = false
  private var lingering = false
  private var deadline: Scheduled<Void>?
  /// Whether a request head was read whose end has not been (its body is arriving).
  private var readingBody = false
  /// Whether a final response head was written whose end has not been.
  private var answering = false

  init(linger: TimeAmount = .seconds(2)) { self.linger = linger }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    switch unwrapOutboundIn(data) {
    case .head(let head) where head.status.kind != .informational:
      answering = true
      closeAfterResponse = head.headerFields[values: .connection].contains {
        $0.lowercased() == "close"
      }
      context.write(data, promise: promise)
    case .end where closeAfterResponse:
      answering = false
      closeAfterResponse = false
      let written = context.eventLoop.makePromise(of: Void.self)
      written.futureResult.cascade(to: promise)
      context.writeAndFlush(data, promise: written)
      // Once the answer is in the socket, the output is shut behind it.
      written.futureResult.assumeIsolated().whenComplete { _ in self.startLingering(context) }
    case .end:
      answering = false
      context.write(data, promise: promise)
    default:
      context.write(data, promise: promise)
    }
  }

  func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
    guard mode == .all, context.channel.isActive else {
      context.close(mode: mode, promise: promise)
      return
    }
    // The full close happens later; whoever asked for it learns of it then.
    if let promise { context.channel.closeFuture.cascade(to: promise) }
    if readingBody, !answering, !lingering {
      answerBodyTimeout(context)
    } else {
      startLingering(context)
    }
  }

  /// Answers 408 `body-timeout` to a request whose body stopped arriving, then lingers.
  private func answerBodyTimeout(_ context: ChannelHandlerContext) {
    let problem = Problem(
      .requestTimeout, kind: "body-timeout",
      detail: "the request body stopped arriving before its end")
    answering = true
    problem.writeClosing(to: context).assumeIsolated().whenComplete { _ in
      self.startLingering(context)
    }
  }

  /// Shuts the output, keeps reading (and dropping) until the client's FIN or `linger`.
  private func startLingering(_ context: ChannelHandlerContext) {
    guard !lingering, context.channel.isActive else { return }
    lingering = true
    context.close(mode: .output, promise: nil)
    deadline = context.eventLoop.assumeIsolated().scheduleTask(in: linger) {
      context.close(mode: .all, promise: nil)
    }
    context.read()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    // While lingering, what the client sends is dropped, not handled.
    guard !lingering else { return }
    switch unwrapInboundIn(data) {
    case .head: readingBody = true
    case .end: readingBody = false
    case .body: break
    }
    context.fireChannelRead(data)
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    if lingering {
      context.read()  // drain on, whatever the handlers above still ask for
    } else {
      context.fireChannelReadComplete()
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    // After the answer, bytes that do not parse (a refused request going on arriving) are
    // dropped like the rest.
    if !lingering { context.fireErrorCaught(error) }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if lingering, case ChannelEvent.inputClosed = event {
      context.close(mode: .all, promise: nil)  // the client closed its side: nothing to drain
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelInactive(context: ChannelHandlerContext) {
    deadline?.cancel()
    deadline = nil
    context.fireChannelInactive()
  }
}
