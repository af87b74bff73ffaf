/// One viewer's session with one stimulus: what was shown and when it started.
public struct AudienceSession: Sendable, Equatable {
  public var id: Int64
  /// What the viewer watched (an ad, a talk): the key that lines sessions up.
  public var stimulus: String
  /// When the stimulus started, microseconds since 1970 UTC.
  public var startedAt: Int64
  /// Frames recorded in the session so far (in `sessions(…)` listings).
  public var frames: Int

  public init(id: Int64, stimulus: String, startedAt: Int64, frames: Int = 0) {
    self.id = id
    self.stimulus = stimulus
    self.startedAt = startedAt
    self.frames = frames
  }
}
