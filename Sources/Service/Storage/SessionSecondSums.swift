/// One session's faces in one second of its stimulus: how many, and the sums of their
/// probabilities (in `Emotion` order). The input of `ReactionCurve`.
public struct SessionSecondSums: Sendable, Equatable {
  public var sessionID: Int64
  /// Whole seconds from the session's start.
  public var second: Int
  public var faces: Int
  public var sums: [Double]

  public init(sessionID: Int64, second: Int, faces: Int, sums: [Double]) {
    self.sessionID = sessionID
    self.second = second
    self.faces = faces
    self.sums = sums
  }
}
