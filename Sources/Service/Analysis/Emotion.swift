/// The seven FER2013 emotions, in the fixed order every model, file and API uses.
public enum Emotion: String, CaseIterable, Codable, Sendable {
  case angry, disgust, fear, happy, neutral, sad, surprise

  /// The position of this emotion in `Emotion.allCases` (and in every probability vector).
  public var index: Int { Emotion.allCases.firstIndex(of: self)! }
}
