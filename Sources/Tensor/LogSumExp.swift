import Foundation

/// The numerically stable pieces of a softmax or log-sum-exp over `count` values, in Double:
/// the largest value `m` and `Σ exp(value(c) − m)`; `exponential(c, exp(value(c) − m))` sees
/// each term as it is added (in index order). Then `log Σ exp = m + log(sum)` and
/// `softmax(c) = exp(value(c) − m) / sum`. Every softmax, cross-entropy and calibration loss
/// over rows of logits goes through here (rows in any layout: `value` does the indexing).
@inlinable
public func logSumExpParts(
  count: Int, _ value: (Int) -> Double, exponential: (Int, Double) -> Void = { _, _ in }
) -> (largest: Double, sum: Double) {
  var largest = -Double.infinity
  for c in 0..<count { largest = max(largest, value(c)) }
  var sum = 0.0
  for c in 0..<count {
    let term = exp(value(c) - largest)
    exponential(c, term)
    sum += term
  }
  return (largest, sum)
}
