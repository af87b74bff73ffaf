import Hummingbird

/// The request context of every route: Hummingbird's core storage plus the client address
/// (for rate limiting when no API key is used).
public struct EmoclRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The peer's IP address, nil when unknown (e.g. in-process tests).
  public let remoteAddress: String?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress?.ipAddress
  }
}
