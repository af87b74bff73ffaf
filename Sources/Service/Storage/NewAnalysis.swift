/// An analysis to record: what `AnalysisStore.insert` takes before the database gives it an id.
public struct NewAnalysis: Sendable, Equatable {
  /// When it was made, microseconds since 1970 UTC.
  public var createdAt: Int64
  public var tag: String?
  public var model: String
  public var result: AnalysisResult
  public var elapsedMs: Double
  /// The audience session this frame belongs to, and its offset from the session's start.
  public var session: SessionFrame?

  public init(
    createdAt: Int64, tag: String?, model: String, result: AnalysisResult, elapsedMs: Double,
    session: SessionFrame? = nil
  ) {
    self.session = session
    self.createdAt = createdAt
    self.tag = tag
    self.model = model
    self.result = result
    self.elapsedMs = elapsedMs
  }
}
