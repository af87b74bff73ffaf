import Datasets
import Pipeline

/// One analysed face: where it is, its emotion probabilities and the most probable emotion,
/// and with the CNN detector its score, landmarks and quality (`detection`, stored with the
/// record since schema version 4).
public struct FaceResult: Codable, Sendable, Equatable {
  public var box: PixelBox
  public var emotions: EmotionScores
  public var dominant: Emotion
  public var detection: FaceDetails?

  /// A face whose `dominant` emotion is derived from `emotions`.
  public init(box: PixelBox, emotions: EmotionScores, detection: FaceDetails? = nil) {
    self.box = box
    self.emotions = emotions
    self.dominant = emotions.dominant
    self.detection = detection
  }
}
