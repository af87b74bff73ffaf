/// One second of a video's timeline: how many frames were analysed in it, how many faces they
/// held, and the faces' mean probabilities, overall (`track` nil) or for one track.
public struct VideoTimelineSecond: Sendable, Equatable {
  /// Whole seconds from the start: the row covers [second, second + 1).
  public var second: Int
  /// nil for all faces; otherwise the track id.
  public var track: Int?
  /// Frames analysed in this second.
  public var frames: Int
  /// Faces in those frames (of this track, when `track` is set).
  public var faces: Int
  /// Mean probabilities in `Emotion` order; nil when `faces` is 0.
  public var meanProbabilities: [Double]?

  public init(second: Int, track: Int?, frames: Int, faces: Int, meanProbabilities: [Double]?) {
    self.second = second
    self.track = track
    self.frames = frames
    self.faces = faces
    self.meanProbabilities = meanProbabilities
  }
}
