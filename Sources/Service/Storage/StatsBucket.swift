/// Statistics of the faces recorded in one time bucket.
public struct StatsBucket: Sendable, Equatable {
  /// Start of the bucket, microseconds since 1970 UTC.
  public var start: Int64
  /// Number of faces the means and counts cover: all the bucket's faces, or only the reliable
  /// ones when the statistics were asked for reliable faces only (then possibly 0).
  public var faces: Int
  /// Mean probability of each emotion over the covered faces, `Emotion.allCases` order (zeros
  /// when no face is covered).
  public var meanProbabilities: [Double]
  /// How many covered faces had each emotion as the dominant one, `Emotion.allCases` order.
  public var dominantCounts: [Int]
  /// Faces in the bucket that fail the quality limits (left out of the means only when the
  /// statistics were asked for reliable faces only).
  public var unreliable: Int

  public init(
    start: Int64, faces: Int, meanProbabilities: [Double], dominantCounts: [Int],
    unreliable: Int = 0
  ) {
    self.start = start
    self.faces = faces
    self.meanProbabilities = meanProbabilities
    self.dominantCounts = dominantCounts
    self.unreliable = unreliable
  }
}
