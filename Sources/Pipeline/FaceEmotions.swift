import Datasets

/// The pipeline's answer for one face: where it is, the seven probabilities and the most
/// probable emotion. Encodes as `{"box": {…}, "emotions": {…}, "dominant": "happy"}`.
public struct FaceEmotions: Sendable, Equatable, Codable {
  /// The face box in the image (detected, supplied by the caller, or the whole image), before
  /// the crop margin is added.
  public var box: PixelBox
  /// The probabilities of the seven emotions.
  public var emotions: EmotionProbabilities
  /// The most probable emotion.
  public var dominant: Emotion
  /// The CNN detector's score, landmarks and quality of this face (nil for other detectors,
  /// supplied boxes and whole images).
  public var detection: FaceDetails?

  /// A face result; `dominant` is derived from `emotions`.
  public init(box: PixelBox, emotions: EmotionProbabilities, detection: FaceDetails? = nil) {
    self.box = box
    self.emotions = emotions
    self.dominant = emotions.dominant
    self.detection = detection
  }

  enum CodingKeys: String, CodingKey {
    case box, emotions, dominant, detection
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    box = try container.decode(PixelBox.self, forKey: .box)
    emotions = try container.decode(EmotionProbabilities.self, forKey: .emotions)
    dominant = try container.decode(Emotion.self, forKey: .dominant)
    detection = try container.decodeIfPresent(FaceDetails.self, forKey: .detection)
  }
}
