import Datasets
import Foundation
import NeuralNet
import Tensor

/// The outcome of evaluating a model on labelled images.
public struct Evaluation: Sendable {
  /// Mean plain cross-entropy (no smoothing, no class weights).
  public var loss: Double
  public var report: ClassificationReport
  /// Raw logits, `count × classes`, row per image.
  public var logits: [Float]

  /// Loss and metrics of `logits` (`labels.count × classes.count`) against `labels`.
  public init(logits: [Float], labels: [Int], classes: [String]) throws {
    let k = classes.count
    var predicted = [Int](repeating: 0, count: labels.count)
    var total = 0.0
    for i in 0..<labels.count {
      let row = i * k
      var best = 0
      for c in 1..<k where logits[row + c] > logits[row + best] { best = c }
      let (top, sum) = logSumExpParts(count: k) { Double(logits[row + $0]) }
      total -= Double(logits[row + labels[i]]) - top - log(sum)
      predicted[i] = best
    }
    loss = total / Double(max(1, labels.count))
    report = try ClassificationReport(classes: classes, truth: labels, predicted: predicted)
    self.logits = logits
  }
}
