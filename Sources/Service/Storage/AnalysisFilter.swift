/// Which records a listing, a statistic or a CSV export covers.
public struct AnalysisFilter: Sendable, Equatable {
  /// Only records with exactly this tag.
  public var tag: String?
  /// Only records at or after this time (microseconds since 1970 UTC).
  public var from: Int64?
  /// Only records strictly before this time.
  public var to: Int64?

  public init(tag: String? = nil, from: Int64? = nil, to: Int64? = nil) {
    self.tag = tag
    self.from = from
    self.to = to
  }
}
