import Foundation

/// Platt's sigmoid `P(y = +1 | f) = 1 / (1 + exp(A·f + B))` mapping a decision value to a
/// probability, fitted by regularised maximum likelihood with Newton's method and backtracking
/// (Lin, Lin & Weng, "A note on Platt's probabilistic outputs", 2007).
public struct PlattScaling: Sendable, Equatable, Codable {
  /// Slope (negative when larger decisions mean the positive class).
  public var a: Double
  /// Offset.
  public var b: Double

  /// A sigmoid with given parameters.
  public init(a: Double, b: Double) {
    self.a = a
    self.b = b
  }

  /// Fits A and B to decision values and their labels (true = positive class), with Platt's
  /// smoothed targets `(N₊+1)/(N₊+2)` and `1/(N₋+2)`.
  public static func fit(decisions: [Double], positive: [Bool]) -> PlattScaling {
    let positives = Double(positive.filter { $0 }.count)
    let negatives = Double(positive.count) - positives
    let high = (positives + 1) / (positives + 2)
    let low = 1 / (negatives + 2)
    let targets = positive.map { $0 ? high : low }
    var a = 0.0
    var b = log((negatives + 1) / (positives + 1))
    let ridge = 1e-12
    let minimumStep = 1e-10

    /// Negative log-likelihood, computed without overflow for either sign of A·f + B.
    func loss(_ a: Double, _ b: Double) -> Double {
      var total = 0.0
      for (f, t) in zip(decisions, targets) {
        let z = a * f + b
        total += z >= 0 ? t * z + log1p(exp(-z)) : (t - 1) * z + log1p(exp(z))
      }
      return total
    }
    var value = loss(a, b)
    for _ in 0..<100 {
      var (h11, h22, h21, g1, g2) = (ridge, ridge, 0.0, 0.0, 0.0)
      for (f, t) in zip(decisions, targets) {
        let z = a * f + b
        // p = P(positive) = 1/(1+e^z); q = 1 − p.
        let (p, q) =
          z >= 0
          ? (exp(-z) / (1 + exp(-z)), 1 / (1 + exp(-z)))
          : (
            1 / (1 + exp(z)), exp(z) / (1 + exp(z))
          )
        let weight = p * q
        h11 += f * f * weight
        h22 += weight
        h21 += f * weight
        let residual = t - p
        g1 += f * residual
        g2 += residual
      }
      if abs(g1) < 1e-5 && abs(g2) < 1e-5 { break }
      let determinant = h11 * h22 - h21 * h21
      let da = -(h22 * g1 - h21 * g2) / determinant
      let db = -(-h21 * g1 + h11 * g2) / determinant
      let slope = g1 * da + g2 * db
      var step = 1.0
      var accepted = false
      while step >= minimumStep {
        let (na, nb) = (a + step * da, b + step * db)
        let candidate = loss(na, nb)
        if candidate < value + 1e-4 * step * slope {
          (a, b, value) = (na, nb, candidate)
          accepted = true
          break
        }
        step /= 2
      }
      if !accepted { break }
    }
    return PlattScaling(a: a, b: b)
  }

  /// The probability of the positive class for decision value `f`.
  public func probability(_ f: Double) -> Double {
    let z = a * f + b
    return z >= 0 ? exp(-z) / (1 + exp(-z)) : 1 / (1 + exp(z))
  }
}

/// Class probabilities from pairwise probabilities `r[i][j] ≈ P(i | i or j)` by Wu, Lin & Weng's
/// second coupling method (JMLR 2004): the `p` on the simplex minimising
/// `Σᵢ Σ_{j≠i} (r_ji·p_i − r_ij·p_j)²`, found by its fixed-point iteration.
public func pairwiseCoupling(_ r: [[Double]]) -> [Double] {
  let k = r.count
  var q = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
  for t in 0..<k {
    for j in 0..<k where j != t {
      q[t][t] += r[j][t] * r[j][t]
      q[t][j] = -r[j][t] * r[t][j]
    }
  }
  var p = [Double](repeating: 1 / Double(k), count: k)
  var qp = [Double](repeating: 0, count: k)
  // Tighter than libsvm's 0.005/k: k ≤ 7 here, so exactness is cheap.
  let epsilon = 1e-10
  for _ in 0..<1000 {
    var pqp = 0.0
    for t in 0..<k {
      qp[t] = 0
      for j in 0..<k { qp[t] += q[t][j] * p[j] }
      pqp += p[t] * qp[t]
    }
    var largestError = 0.0
    for t in 0..<k { largestError = max(largestError, abs(qp[t] - pqp)) }
    if largestError < epsilon { break }
    for t in 0..<k {
      let diff = (-qp[t] + pqp) / q[t][t]
      p[t] += diff
      pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff)
      for j in 0..<k {
        qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff)
        p[j] /= 1 + diff
      }
    }
  }
  return p
}
