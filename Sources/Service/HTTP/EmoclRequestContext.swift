import Hummingbird

/// The request context of every route: Hummingbird's core storage plus the client address
/// (for rate limiting when no API key is used) and the connection (to close it on a client
/// too slow to send its body).
public struct EmoclRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The peer's IP address, nil when unknown (e.g. in-process tests).
  public let remoteAddress: String?
  /// Closes the client's connection at once: Hummingbird would otherwise read the rest of an
  /// unfinished body before answering, which a client sending a byte at a time makes endless.
  let closeConnection: @Sendable () -> Void

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress?.ipAddress
    let channel = source.channel
    closeConnection = { channel.close(promise: nil) }
  }
}
