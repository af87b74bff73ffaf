import Foundation
import NeuralNet
import Tensor
import Testing

@Suite struct SoftmaxCrossEntropyTests {
  private func loss(
    _ ce: SoftmaxCrossEntropy, _ logits: [Float], classes: Int, labels: [Int]
  ) -> (Double, [Float], Int) {
    let batch = labels.count
    var grad = [Float](repeating: 0, count: logits.count)
    let normalizer = ce.normalizer(labels: labels)
    let (l, correct) = logits.withUnsafeBufferPointer { z in
      labels.withUnsafeBufferPointer { y in
        grad.withUnsafeMutableBufferPointer { g in
          ce.evaluate(
            logits: z.baseAddress!, classes: classes, batch: batch, labels: y.baseAddress!,
            normalizer: normalizer, gradient: g.baseAddress!)
        }
      }
    }
    return (l, grad, correct)
  }

  @Test func plainLossIsMeanNegativeLogLikelihood() {
    // Two images, three classes; logits [classes, batch].
    let logits: [Float] = [1, 0, 2, 0, 3, 1]
    let (l, _, correct) = loss(SoftmaxCrossEntropy(), logits, classes: 3, labels: [2, 0])
    let p0 = exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0))
    let p1 = exp(0.0) / (exp(0.0) + exp(0.0) + exp(1.0))
    #expect(abs(l - (-log(p0) - log(p1)) / 2) < 1e-6)
    #expect(correct == 1)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let ce = SoftmaxCrossEntropy(labelSmoothing: 0.1, classWeights: [1, 3, 0.5, 2])
    var rng = Xoshiro256(seed: 3)
    let labels = [1, 0, 3, 2, 1]
    var logits = (0..<20).map { _ in Float(rng.nextGaussian()) * 2 }
    let (_, grad, _) = loss(ce, logits, classes: 4, labels: labels)
    for i in 0..<logits.count {
      let v = logits[i]
      logits[i] = v + 1e-2
      let up = loss(ce, logits, classes: 4, labels: labels).0
      logits[i] = v - 1e-2
      let down = loss(ce, logits, classes: 4, labels: labels).0
      logits[i] = v
      let numeric = Float((up - down) / 2e-2)
      #expect(abs(numeric - grad[i]) < 1e-3, "logit \(i): \(numeric) vs \(grad[i])")
    }
  }
}
