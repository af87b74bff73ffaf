import Datasets
import Pipeline

/// One analysed face: where it is, its emotion probabilities and the most probable emotion.
public struct FaceResult: Codable, Sendable, Equatable {
  public var box: PixelBox
  public var emotions: EmotionScores
  public var dominant: Emotion

  /// A face whose `dominant` emotion is derived from `emotions`.
  public init(box: PixelBox, emotions: EmotionScores) {
    self.box = box
    self.emotions = emotions
    self.dominant = emotions.dominant
  }
}
