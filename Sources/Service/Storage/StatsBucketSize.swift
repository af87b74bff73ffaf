/// The width of a statistics bucket, aligned to UTC.
public enum StatsBucketSize: String, Sendable, CaseIterable {
  case hour, day

  /// The bucket width in microseconds (UTC days have no leap seconds in Unix time).
  public var micros: Int64 {
    switch self {
    case .hour: 3_600_000_000
    case .day: 86_400_000_000
    }
  }
}
