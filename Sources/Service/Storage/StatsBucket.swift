/// Statistics of the faces recorded in one time bucket.
public struct StatsBucket: Sendable, Equatable {
  /// Start of the bucket, microseconds since 1970 UTC.
  public var start: Int64
  /// Number of faces in the bucket.
  public var faces: Int
  /// Mean probability of each emotion over the bucket's faces, `Emotion.allCases` order.
  public var meanProbabilities: [Double]
  /// How many faces had each emotion as the dominant one, `Emotion.allCases` order.
  public var dominantCounts: [Int]

  public init(start: Int64, faces: Int, meanProbabilities: [Double], dominantCounts: [Int]) {
    self.start = start
    self.faces = faces
    self.meanProbabilities = meanProbabilities
    self.dominantCounts = dominantCounts
  }
}
