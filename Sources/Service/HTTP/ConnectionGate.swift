import Synchronization

/// The server's open connections, counted in all and per client address: a new connection is
/// admitted only while both counts are under their caps (`ServiceConfiguration.maxConnections`
/// and `maxConnectionsPerClient`). Without caps one client could hold every file descriptor
/// the process may open: the idle, body and linger timeouts close each slow connection in the
/// end, but 1,500 trickling connections at once were all accepted, and a server out of
/// descriptors cannot accept anyone, nor open its database.
public final class ConnectionGate: Sendable {
  /// Most connections open at once.
  public let maxConnections: Int
  /// Most connections open at once from one client address.
  public let maxPerClient: Int

  /// Why a connection was not admitted.
  package enum Refusal: String, Sendable {
    /// `maxConnections` are open.
    case server
    /// `maxPerClient` are open from the connection's address.
    case client
  }

  private struct State {
    var open = 0
    var perClient: [String: Int] = [:]
    var refused: [Refusal: Int] = [:]
  }
  private let state = Mutex(State())

  /// A gate with both caps (each at least 1).
  public init(maxConnections: Int, maxPerClient: Int) {
    self.maxConnections = max(1, maxConnections)
    self.maxPerClient = max(1, maxPerClient)
  }

  /// Counts a new connection from `client` (nil: an address without an IP, counted in the
  /// total only) and returns nil, or returns why it is refused (then it is not counted).
  package func admit(_ client: String?) -> Refusal? {
    state.withLock { s in
      if s.open >= maxConnections {
        s.refused[.server, default: 0] += 1
        return .server
      }
      if let client, s.perClient[client, default: 0] >= maxPerClient {
        s.refused[.client, default: 0] += 1
        return .client
      }
      s.open += 1
      if let client { s.perClient[client, default: 0] += 1 }
      return nil
    }
  }

  /// An admitted connection from `client` has closed.
  package func release(_ client: String?) {
    state.withLock { s in
      s.open -= 1
      if let client, let n = s.perClient[client] {
        s.perClient[client] = n > 1 ? n - 1 : nil
      }
    }
  }

  /// Connections open now, and those refused so far by reason (`server`, `client`).
  public var counts: (open: Int, refused: [String: Int]) {
    state.withLock { s in
      (s.open, Dictionary(uniqueKeysWithValues: s.refused.map { ($0.key.rawValue, $0.value) }))
    }
  }
}
