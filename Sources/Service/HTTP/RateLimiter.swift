import Synchronization

/// A token bucket per client (API key, else address): `limit.requests` per `limit.seconds` on
/// average, bursts of up to `limit.requests`. Buckets that have refilled are dropped, so memory
/// stays bounded by the number of clients active within the last period.
final class RateLimiter: Sendable {
  private struct Bucket {
    var tokens: Double
    var updated: ContinuousClock.Instant
  }

  private let limit: RateLimit
  private let buckets = Mutex([String: Bucket]())

  init(_ limit: RateLimit) { self.limit = limit }

  /// Takes one token for `client`; nil when allowed, else the seconds until a token is free.
  func take(client: String, now: ContinuousClock.Instant = .now) -> Int? {
    let capacity = Double(limit.requests)
    let perSecond = capacity / Double(limit.seconds)
    return buckets.withLock { buckets in
      if buckets.count > 10_000 {
        buckets = buckets.filter { _, bucket in
          Self.seconds(now - bucket.updated) * perSecond + bucket.tokens < capacity
        }
      }
      var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
      bucket.tokens = min(capacity, bucket.tokens + Self.seconds(now - bucket.updated) * perSecond)
      bucket.updated = now
      defer { buckets[client] = bucket }
      guard bucket.tokens >= 1 else {
        return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
      }
      bucket.tokens -= 1
      return nil
    }
  }

  private static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }
}
