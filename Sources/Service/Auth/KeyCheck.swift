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
  }

  private let store: any AnalysisStore
  private let refreshInterval: Duration
  private let state = Mutex(State())

  init(store: any AnalysisStore, refreshInterval: Duration) {
    self.store = store
    self.refreshInterval = refreshInterval
  }

  func check(authorization: String?) async -> Decision {
    let now = ContinuousClock.now
    var keys = state.withLock { (s: inout State) -> (active: Set<String>, anyExists: Bool)? in
      guard let readAt = s.readAt, now - readAt < refreshInterval else { return nil }
      return s.keys
    }
    if keys == nil {
      do {
        let fresh = try await store.apiKeyHashes()
        state.withLock {
          $0.keys = fresh
          $0.readAt = now
        }
        keys = fresh
      } catch {
        keys = state.withLock { $0.keys }
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
