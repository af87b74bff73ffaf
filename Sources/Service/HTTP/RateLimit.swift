import Foundation

/// A request rate: `requests` per `seconds`, written `N/s`, `N/min` or `N/h` (a bare `N` is per
/// second), as `--rate-limit` and `EMOCL_RATE_LIMIT` take it.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
  /// Requests allowed per period; also the largest burst.
  public var requests: Int
  /// The period in seconds.
  public var seconds: Int

  public init(requests: Int, seconds: Int) {
    self.requests = requests
    self.seconds = seconds
  }

  /// Parses `N/s`, `N/min`, `N/h` or `N` (per second); N ≥ 1.
  public static func parse(_ text: String) throws(ConfigurationError) -> RateLimit {
    let parts = text.split(separator: "/", maxSplits: 1).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    let units = [
      "s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
    ]
    guard let first = parts.first, let n = Int(first), n >= 1,
      let seconds = parts.count == 2 ? units[parts[1].lowercased()] : 1
    else {
      throw ConfigurationError(
        "rate limit: expected N/s, N/min or N/h with N ≥ 1 (e.g. 10/s), got '\(text)'")
    }
    return RateLimit(requests: n, seconds: seconds)
  }

  public var description: String {
    switch seconds {
    case 1: "\(requests)/s"
    case 60: "\(requests)/min"
    case 3600: "\(requests)/h"
    default: "\(requests) per \(seconds) s"
    }
  }
}
