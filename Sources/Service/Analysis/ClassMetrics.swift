import Datasets

/// Precision, recall and F1 of one class.
public struct ClassMetrics: Codable, Sendable, Equatable {
  /// The class name (an emotion for emotion models).
  public var emotion: String
  public var precision: Double
  public var recall: Double
  public var f1: Double
  /// Validation images of this class.
  public var support: Int

  public init(emotion: String, precision: Double, recall: Double, f1: Double, support: Int) {
    self.emotion = emotion
    self.precision = precision
    self.recall = recall
    self.f1 = f1
    self.support = support
  }
}
