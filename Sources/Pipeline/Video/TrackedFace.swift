import Datasets

/// One face in one video frame: its track, box and (smoothed) emotion probabilities. Encodes as
/// `{"track": n, "box": {…}, "dominant": "happy", "emotions": {…}}`.
public struct TrackedFace: Sendable, Equatable, Codable {
  /// The id of the track this face belongs to (1, 2, … in order of first appearance).
  public var track: Int
  /// The face box in the frame, in pixels of the rotated frame.
  public var box: PixelBox
  /// The most probable emotion of `emotions`.
  public var dominant: Emotion
  /// The seven probabilities.
  public var emotions: EmotionProbabilities

  /// A tracked face; `dominant` is derived from `emotions`.
  public init(track: Int, box: PixelBox, emotions: EmotionProbabilities) {
    self.track = track
    self.box = box
    self.emotions = emotions
    self.dominant = emotions.dominant
  }
}
