import Foundation

/// Precision, recall, F1 and support of one class.
public struct ClassScores: Sendable, Equatable, Codable {
  /// TP / (TP + FP); 0 when the class is never predicted.
  public var precision: Double
  /// TP / (TP + FN); 0 when the class has no true samples.
  public var recall: Double
  /// 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when both are 0.
  public var f1: Double
  /// Number of samples whose true class is this one.
  public var support: Int

  /// Scores from their values.
  public init(precision: Double, recall: Double, f1: Double, support: Int) {
    self.precision = precision
    self.recall = recall
    self.f1 = f1
    self.support = support
  }
}
