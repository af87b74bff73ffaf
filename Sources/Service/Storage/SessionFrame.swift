/// Where a recorded webcam frame sits in an audience session.
public struct SessionFrame: Sendable, Equatable {
  public var sessionID: Int64
  /// Milliseconds from the session's start (≥ 0).
  public var offsetMs: Int64

  public init(sessionID: Int64, offsetMs: Int64) {
    self.sessionID = sessionID
    self.offsetMs = offsetMs
  }
}
