import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Admits a connection through the server's `ConnectionGate` as it opens, and releases it when
/// it closes. A connection over a cap is answered at once with 503 `too-many-connections`
/// (problem+json, `Retry-After`, `Connection: close`), its requests are never read, and it is
/// closed by `LingeringCloseHandler` (which comes before this one), so the client reads the
/// answer even if it is still sending. One per connection, after the HTTP/1 codec.
final class ConnectionGateHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart

  let gate: ConnectionGate
  /// The peer's IP address (nil for a Unix socket), as counted.
  private var client: String?
  private var admitted = false
  private var refused = false

  init(gate: ConnectionGate) { self.gate = gate }

  func handlerAdded(context: ChannelHandlerContext) {
    // Added to an accepted connection, which is active already.
    if context.channel.isActive { decide(context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    decide(context)
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    // A refused connection's requests go nowhere: it has its answer.
    guard !refused else { return }
    context.fireChannelRead(data)
  }

  func channelInactive(context: ChannelHandlerContext) {
    release()
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) { release() }

  private func decide(_ context: ChannelHandlerContext) {
    guard !admitted, !refused else { return }
    client = context.channel.remoteAddress?.ipAddress
    guard let refusal = gate.admit(client) else {
      admitted = true
      return
    }
    refused = true
    let problem = Self.problem(for: refusal, gate: gate)
    // Answered on the next turn of the event loop: this runs while the connection's pipeline
    // is being set up.
    context.eventLoop.assumeIsolated().execute { _ = problem.writeClosing(to: context) }
  }

  private func release() {
    guard admitted else { return }
    admitted = false
    gate.release(client)
  }

  /// 503 with `Retry-After: 1`: the reason says which cap.
  static func problem(for refusal: ConnectionGate.Refusal, gate: ConnectionGate) -> Problem {
    let detail =
      switch refusal {
      case .server:
        "the server has \(gate.maxConnections) connections open, its most; retry shortly"
      case .client:
        "this address has \(gate.maxPerClient) connections open, the most one client may; "
          + "close some or retry shortly"
      }
    return Problem(
      .serviceUnavailable, kind: "too-many-connections", detail: detail,
      headers: [.retryAfter: "1"])
  }
}
