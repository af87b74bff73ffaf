import Foundation
import Tensor

/// Softmax cross-entropy with label smoothing and class weights, with PyTorch's
/// `CrossEntropyLoss(weight:, label_smoothing:)` semantics: for an image of label `y`,
///
///     loss = (1 − ε)·w[y]·(−log p[y]) + (ε/K)·Σ_c w[c]·(−log p[c])
///
/// and the batch loss is the sum over images divided by `Σ w[y]` (the number of images when
/// unweighted).
public struct SoftmaxCrossEntropy: Sendable, Hashable, Codable {
  /// ε in `[0, 1)`.
  public var labelSmoothing: Float
  /// One weight per class, or nil for all ones.
  public var classWeights: [Float]?

  public init(labelSmoothing: Float = 0, classWeights: [Float]? = nil) {
    self.labelSmoothing = labelSmoothing
    self.classWeights = classWeights
  }

  /// The divisor of a batch's summed loss: `Σ w[labels[i]]`.
  public func normalizer(labels: some Collection<Int>) -> Double {
    guard let classWeights else { return Double(labels.count) }
    return labels.reduce(0.0) { $0 + Double(classWeights[$1]) }
  }

  /// Loss over `batch` images whose logits are the columns of `logits` `[classes, batch]`
  /// (a classifier workspace's output). Returns the summed per-image losses divided by
  /// `normalizer` and the number of images whose largest logit is their label. If `gradient`
  /// is given it receives `∂loss/∂logits`, `[classes, batch]`.
  ///
  /// Splitting a batch between workers, each passes the whole batch's normalizer, so the
  /// workers' losses and gradients add up to the whole batch's.
  public func evaluate(
    logits: UnsafePointer<Float>, classes: Int, batch: Int, labels: UnsafePointer<Int>,
    normalizer: Double, gradient: UnsafeMutablePointer<Float>? = nil
  ) -> (loss: Double, correct: Int) {
    let eps = Double(labelSmoothing)
    let k = Double(classes)
    let weightSum = classWeights.map { $0.reduce(0.0) { $0 + Double($1) } } ?? k
    var total = 0.0
    var correct = 0
    var p = [Double](repeating: 0, count: classes)
    for i in 0..<batch {
      let y = labels[i]
      var best = 0
      var maxLogit = -Double.infinity
      for c in 0..<classes {
        let z = Double(logits[c * batch + i])
        if z > maxLogit {
          maxLogit = z
          best = c
        }
      }
      if best == y { correct += 1 }
      let (_, sumExp) = logSumExpParts(count: classes) {
        Double(logits[$0 * batch + i])
      } exponential: {
        p[$0] = $1
      }
      let logSum = Foundation.log(sumExp)
      let wy = Double(classWeights?[y] ?? 1)
      var smooth = 0.0
      for c in 0..<classes {
        let logP = Double(logits[c * batch + i]) - maxLogit - logSum
        smooth -= Double(classWeights?[c] ?? 1) * logP
        p[c] /= sumExp
      }
      let logPy = Double(logits[y * batch + i]) - maxLogit - logSum
      total += (1 - eps) * wy * -logPy + eps / k * smooth
      if let gradient {
        // ∂/∂z_c = p_c·((1 − ε)·w_y + ε/K·Σw) − (1 − ε)·w_y·[c = y] − ε/K·w_c
        let scale = (1 - eps) * wy + eps / k * weightSum
        for c in 0..<classes {
          var g = p[c] * scale - eps / k * Double(classWeights?[c] ?? 1)
          if c == y { g -= (1 - eps) * wy }
          gradient[c * batch + i] = Float(g / normalizer)
        }
      }
    }
    return (total / normalizer, correct)
  }
}
