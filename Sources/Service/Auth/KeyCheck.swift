import Synchronization

/// Decides whether a request may use `/api`: open while no key was ever created, else only with
/// `Authorization: Bearer KEY` naming an unrevoked key (revoking every key does not reopen it). The key hashes are reread from the
/// database at most every `refreshInterval`; while the database is down the last set read stays
/// in force (and if none was ever read, `/api` answers 503 rather than opening up).
final class KeyCheck: Sendable {
  enum Decision: Equatable {
    case allowed(keyHash: String?)
    case unauthorized(String)
    case unavailable(String)
  }

  private struct State {
    var keys: (active: Set<String>, anyExists: Bool)?
    var readAt: ContinuousClock.Instant?
    /// When the last read failed: no new read is tried for `retryAfterFailure` after it, so a
    /// database that is down costs each request nothing instead of a connection timeout.
    var failedAt: ContinuousClock.Instant?
    var lastError: String?
    /// A read is under way; other requests use the keys already read meanwhile.
    var reading = false
  }

  private let store: any AnalysisStore
  private let refreshInterval: Duration
  private let retryAfterFailure: Duration
  private let state = Mutex(State())

  init(
    store: any AnalysisStore, refreshInterval: Duration, retryAfterFailure: Duration = .seconds(2)
  ) {
    self.store = store
    self.refreshInterval = refreshInterval
    self.retryAfterFailure = retryAfterFailure
  }

  /// What to do before deciding: use `keys` as they are, or read them anew.
  private enum Plan {
    case use((active: Set<String>, anyExists: Bool)?, failure: String?)
    case read
  }

  func check(authorization: String?) async -> Decision {
    let now = ContinuousClock.now
    let plan = state.withLock { (s: inout State) -> Plan in
      if let readAt = s.readAt, now - readAt < refreshInterval { return .use(s.keys, failure: nil) }
      if let failedAt = s.failedAt, now - failedAt < retryAfterFailure {
        return .use(s.keys, failure: s.lastError)
      }
      if s.reading, s.keys != nil { return .use(s.keys, failure: nil) }
      s.reading = true
      return .read
    }
    var keys: (active: Set<String>, anyExists: Bool)?
    switch plan {
    case .use(let cached, let failure):
      keys = cached
      if keys == nil {
        return .unavailable("cannot read the API keys: \(failure ?? "the database is unavailable")")
      }
    case .read:
      do {
        let fresh = try await store.apiKeyHashes()
        state.withLock {
          $0.keys = fresh
          $0.readAt = now
          $0.failedAt = nil
          $0.reading = false
        }
        keys = fresh
      } catch {
        keys = state.withLock {
          $0.failedAt = ContinuousClock.now
          $0.lastError = "\(error)"
          $0.reading = false
          return $0.keys
        }
        if keys == nil {
          return .unavailable("cannot read the API keys: \(error)")
        }
      }
    }
    guard let keys, keys.anyExists else { return .allowed(keyHash: nil) }
    let hashes = keys.active
    guard let authorization else {
      return .unauthorized("this server requires an API key: Authorization: Bearer KEY")
    }
    let parts = authorization.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      return .unauthorized("the Authorization header must be 'Bearer KEY'")
    }
    let hash = APIKeys.hash(String(parts[1].trimmingSpaces()))
    guard hashes.contains(hash) else {
      return .unauthorized("unknown or revoked API key")
    }
    return .allowed(keyHash: hash)
  }
}
