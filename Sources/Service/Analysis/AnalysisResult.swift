import Datasets
import Pipeline

/// The probability of each emotion for one face; the seven values sum to 1 (up to rounding).
public struct EmotionScores: Codable, Sendable, Equatable {
  public var angry: Double
  public var disgust: Double
  public var fear: Double
  public var happy: Double
  public var neutral: Double
  public var sad: Double
  public var surprise: Double

  /// Scores from a vector in `Emotion.allCases` order; nil unless it holds exactly seven values.
  public init?(probabilities p: [Double]) {
    guard p.count == Emotion.allCases.count else { return nil }
    angry = p[0]
    disgust = p[1]
    fear = p[2]
    happy = p[3]
    neutral = p[4]
    sad = p[5]
    surprise = p[6]
  }

  /// The seven values in `Emotion.allCases` order.
  public var probabilities: [Double] { [angry, disgust, fear, happy, neutral, sad, surprise] }

  /// The most probable emotion (the first in class order on a tie).
  public var dominant: Emotion {
    let p = probabilities
    var best = 0
    for i in 1..<p.count where p[i] > p[best] { best = i }
    return Emotion.allCases[best]
  }
}

/// One analysed face: where it is, its emotion probabilities and the most probable emotion,
/// and with the CNN detector its score, landmarks and quality (`detection`; not stored, so
/// absent from stored analyses).
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

/// What an analyzer returns for one image: its size (after orientation) and the faces found,
/// as in the CLI's JSON for one image.
public struct AnalysisResult: Codable, Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var faces: [FaceResult]

  public init(width: Int, height: Int, faces: [FaceResult]) {
    self.width = width
    self.height = height
    self.faces = faces
  }
}
