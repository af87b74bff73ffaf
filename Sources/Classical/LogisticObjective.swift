import Foundation
import Tensor

/// The L2-penalised logistic loss in scikit-learn's scaling, evaluated through BLAS.
///
/// `f(θ) = (1/S)·Σᵢ sᵢ·ℓᵢ + ‖W‖² / (2·C·S)` with `S = Σᵢ sᵢ` (sample weights): the minimiser is
/// that of `C·Σᵢ sᵢ·ℓᵢ + ½‖W‖²`, and the gradient tolerance means what scikit-learn's `tol` does.
/// Intercepts are not penalised. Parameters θ are `[W (outputs×features) row-major, b (outputs)]`.
/// With one output, ℓᵢ is the binary log-loss of targets ±1; with K outputs, the softmax
/// cross-entropy over K classes.
struct LogisticObjective {
  /// Features `[samples, features]`, shared read-only.
  let features: Tensor
  /// For one output: the target of each sample, +1 or -1. For K outputs: the class index.
  let targets: [Int]
  /// Weight of each sample divided by `S`.
  let normalizedWeights: [Float]
  /// `1 / (C·S)`.
  let penalty: Double
  /// 1 (binary) or K (multinomial).
  let outputs: Int

  init(features: Tensor, targets: [Int], weights: [Double], C: Double, outputs: Int) {
    self.features = features
    self.targets = targets
    let total = weights.reduce(0, +)
    self.normalizedWeights = weights.map { Float($0 / total) }
    self.penalty = 1 / (C * total)
    self.outputs = outputs
  }

  var samples: Int { features.shape[0] }
  var width: Int { features.shape[1] }
  var parameterCount: Int { outputs * (width + 1) }

  /// Scores `X·Wᵀ + b` `[samples, outputs]` for parameters θ.
  func scores(_ theta: [Double]) -> [Float] {
    let (n, d, k) = (samples, width, outputs)
    let weights = theta[0..<(k * d)].map { Float($0) }
    var z = [Float](repeating: 0, count: n * k)
    features.storage.withUnsafeBufferPointer { x in
      weights.withUnsafeBufferPointer { w in
        z.withUnsafeMutableBufferPointer { z in
          // [n, d] · [k, d]ᵀ → [n, k]
          sgemm(
            .none, .transposed, m: n, n: k, k: d, a: x.baseAddress!, lda: d,
            b: w.baseAddress!, ldb: d, c: z.baseAddress!, ldc: k)
          for i in 0..<n {
            for c in 0..<k { z[i * k + c] += Float(theta[k * d + c]) }
          }
        }
      }
    }
    return z
  }

  /// The objective at θ; writes its gradient into `gradient`.
  func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
    let (n, d, k) = (samples, width, outputs)
    var z = scores(theta)
    var loss = 0.0
    // z becomes the residual r = sᵢ/S · ∂ℓᵢ/∂zᵢ, in place.
    z.withUnsafeMutableBufferPointer { z in
      if k == 1 {
        for i in 0..<n {
          let y = Double(targets[i])
          let margin = y * Double(z[i])
          // log(1 + e^(-m)) and its derivative -y·σ(-m), both without overflow.
          let softplus = margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin))
          let sigma = margin > 0 ? exp(-margin) / (1 + exp(-margin)) : 1 / (1 + exp(margin))
          let weight = Double(normalizedWeights[i])
          loss += weight * softplus
          z[i] = Float(-y * sigma * weight)
        }
      } else {
        var probabilities = [Double](repeating: 0, count: k)
        for i in 0..<n {
          let row = i * k
          let (top, sum) = logSumExpParts(count: k) {
            Double(z[row + $0])
          } exponential: {
            probabilities[$0] = $1
          }
          let weight = Double(normalizedWeights[i])
          loss += weight * (log(sum) + top - Double(z[row + targets[i]]))
          for c in 0..<k {
            let target = c == targets[i] ? 1.0 : 0.0
            z[row + c] = Float(weight * (probabilities[c] / sum - target))
          }
        }
      }
    }
    var weightGradient = [Float](repeating: 0, count: k * d)
    features.storage.withUnsafeBufferPointer { x in
      z.withUnsafeBufferPointer { r in
        weightGradient.withUnsafeMutableBufferPointer { g in
          // rᵀ · X: [n, k]ᵀ · [n, d] → [k, d]
          sgemm(
            .transposed, .none, m: k, n: d, k: n, a: r.baseAddress!, lda: k,
            b: x.baseAddress!, ldb: d, c: g.baseAddress!, ldc: d)
        }
      }
    }
    var squaredNorm = 0.0
    for j in 0..<(k * d) {
      let w = theta[j]
      squaredNorm += w * w
      gradient[j] = Double(weightGradient[j]) + penalty * w
    }
    for c in 0..<k {
      var sum = 0.0
      for i in 0..<n { sum += Double(z[i * k + c]) }
      gradient[k * d + c] = sum
    }
    return loss + 0.5 * penalty * squaredNorm
  }
}
