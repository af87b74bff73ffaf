import NIOCore
import NIOHTTPTypes

/// Closes a connection whose answers cannot be written for `timeout`: the channel stays
/// unwritable (its client reads nothing while the server's send buffer and NIO's queue are
/// full) that long. The idle timeout cannot see such a client, since a request is in flight:
/// one that pipelines hundreds of requests and never reads held its connection for ever, and
/// with the connection caps a few such clients could keep everyone else out. A client that
/// reads slowly makes the channel writable again each time it reads, and stays.
/// One per connection, after `LingeringCloseHandler` (which then closes it).
final class WriteStallHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart

  /// How long answers may stay unwritable before the connection is closed.
  let timeout: TimeAmount
  private var stalled: Scheduled<Void>?

  init(timeout: TimeAmount) { self.timeout = timeout }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    context.fireChannelRead(data)
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if context.channel.isWritable {
      stalled?.cancel()
      stalled = nil
    } else if stalled == nil {
      let loop = context.eventLoop.assumeIsolated()
      stalled = loop.scheduleTask(in: timeout) {
        self.stalled = nil
        context.close(promise: nil)
      }
    }
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    stalled?.cancel()
    stalled = nil
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    stalled?.cancel()
    stalled = nil
  }
}
