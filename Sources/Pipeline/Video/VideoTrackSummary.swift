/// One track over the whole video: when it was first and last seen, in how many analysed frames,
/// and its mean emotion probabilities over those frames. Encodes as
/// `{"id", "first", "last", "frames", "emotions"}`.
public struct VideoTrackSummary: Sendable, Equatable, Codable {
  /// The track id, as in `TrackedFace.track`.
  public var id: Int
  /// Time of the first analysed frame with this track, in seconds.
  public var first: Double
  /// Time of the last analysed frame with this track, in seconds.
  public var last: Double
  /// The number of analysed frames in which the track has a face.
  public var frames: Int
  /// The mean of the track's probabilities over those frames.
  public var emotions: EmotionProbabilities

  /// A track summary.
  public init(id: Int, first: Double, last: Double, frames: Int, emotions: EmotionProbabilities) {
    self.id = id
    self.first = first
    self.last = last
    self.frames = frames
    self.emotions = emotions
  }
}
