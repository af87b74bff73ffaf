import Foundation
import Tensor

/// Temperature scaling (Guo et al., 2017): one scalar `T` dividing the logits, fitted on
/// held-out data by minimising the negative log-likelihood; it changes confidences, never the
/// predicted class.
public enum TemperatureScaling {
  /// Mean negative log-likelihood of `labels` under `softmax(logits / temperature)`;
  /// `logits` is `labels.count × classes`.
  public static func negativeLogLikelihood(
    logits: [Float], labels: [Int], classes: Int, temperature: Double
  ) -> Double {
    var total = 0.0
    for (i, label) in labels.enumerated() {
      let row = i * classes
      let (top, sum) = logSumExpParts(count: classes) {
        Double(logits[row + $0]) / temperature
      }
      total -= Double(logits[row + label]) / temperature - top - log(sum)
    }
    return total / Double(max(1, labels.count))
  }

  /// The temperature in `[0.05, 20]` minimising the negative log-likelihood: golden-section
  /// search on `log T` (the NLL is convex in `1/T`, hence unimodal in `log T`).
  public static func fit(logits: [Float], labels: [Int], classes: Int) -> Double {
    guard !labels.isEmpty else { return 1 }
    func loss(_ logT: Double) -> Double {
      negativeLogLikelihood(
        logits: logits, labels: labels, classes: classes, temperature: exp(logT))
    }
    let ratio = (5.0.squareRoot() - 1) / 2
    var (a, b) = (log(0.05), log(20.0))
    var c = b - ratio * (b - a)
    var d = a + ratio * (b - a)
    var (fc, fd) = (loss(c), loss(d))
    for _ in 0..<60 where b - a > 1e-6 {
      if fc < fd {
        (b, d, fd) = (d, c, fc)
        c = b - ratio * (b - a)
        fc = loss(c)
      } else {
        (a, c, fc) = (c, d, fd)
        d = a + ratio * (b - a)
        fd = loss(d)
      }
    }
    return exp((a + b) / 2)
  }

  /// Expected calibration error with `bins` equal-width confidence bins: the sample-weighted
  /// mean over bins of |accuracy − mean confidence|, confidence being the top softmax
  /// probability of `logits / temperature`.
  public static func expectedCalibrationError(
    logits: [Float], labels: [Int], classes: Int, temperature: Double = 1, bins: Int = 15
  ) -> Double {
    guard !labels.isEmpty, bins > 0 else { return 0 }
    var confidenceSum = [Double](repeating: 0, count: bins)
    var correct = [Double](repeating: 0, count: bins)
    var count = [Double](repeating: 0, count: bins)
    for (i, label) in labels.enumerated() {
      let row = i * classes
      var best = 0
      for c in 1..<classes where logits[row + c] > logits[row + best] { best = c }
      let top = Double(logits[row + best]) / temperature
      var sum = 0.0
      for c in 0..<classes { sum += exp(Double(logits[row + c]) / temperature - top) }
      let confidence = 1 / sum
      let bin = min(bins - 1, Int(confidence * Double(bins)))
      confidenceSum[bin] += confidence
      correct[bin] += best == label ? 1 : 0
      count[bin] += 1
    }
    var ece = 0.0
    for b in 0..<bins where count[b] > 0 {
      ece += abs(correct[b] - confidenceSum[b])
    }
    return ece / Double(labels.count)
  }
}
