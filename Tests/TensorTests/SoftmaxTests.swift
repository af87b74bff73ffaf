import Foundation
import Tensor
import Testing

/// `logSumExpParts`, which every softmax, cross-entropy and calibration loss goes through,
/// against NumPy's softmax, log-softmax and log-sum-exp of the same rows (`softmax.json`, made by
/// `Scripts/fixtures/tensor_reference.py`; some rows are offset by ±1e4).
@Suite struct SoftmaxTests {
  struct Fixture: Decodable {
    let logits, softmax, logSoftmax, logSumExp: FixtureTensor
  }

  /// Softmax, log-softmax and log-sum-exp of each row of `logits` `[rows, classes]` from the
  /// parts, as the library's callers form them.
  static func rows(_ logits: Tensor) -> (softmax: Tensor, logSoftmax: Tensor, logSumExp: Tensor) {
    let (rows, classes) = (logits.shape[0], logits.shape[1])
    var softmax = Tensor(shape: logits.shape)
    var logSoftmax = Tensor(shape: logits.shape)
    var logSumExp = Tensor(shape: [rows])
    for row in 0..<rows {
      let value = { (c: Int) in Double(logits[row, c]) }
      var terms = [Double](repeating: .nan, count: classes)
      let (largest, sum) = logSumExpParts(count: classes, value) { terms[$0] = $1 }
      for c in 0..<classes {
        softmax[row, c] = Float(terms[c] / sum)
        // (x − max) − log(sum): the form that stays exact for logits of 1e4.
        logSoftmax[row, c] = Float((value(c) - largest) - log(sum))
      }
      logSumExp[row] = Float(largest + log(sum))
    }
    return (softmax, logSoftmax, logSumExp)
  }

  @Test func matchesNumPyIncludingExtremeLogits() throws {
    let f = try loadFixture("softmax.json", as: Fixture.self)
    let result = Self.rows(f.logits.tensor)
    expectClose(result.softmax, f.softmax.tensor, rtol: 1e-5, atol: 1e-7)
    // Log-probabilities of rows offset by ±1e4 are O(1) and must be accurate as such, although
    // the float32 spacing of the logits there is 1e-3 (subtracting a rounded logsumexp fails).
    expectClose(result.logSoftmax, f.logSoftmax.tensor, rtol: 1e-5, atol: 1e-5)
    expectClose(result.logSumExp, f.logSumExp.tensor, rtol: 1e-6, atol: 1e-5)
    #expect(result.softmax.storage.allSatisfy { $0.isFinite && $0 >= 0 })
    for total in result.softmax.sum(axis: 1).storage { #expect(abs(total - 1) < 1e-6) }
  }

  /// The largest term is exactly `exp(0) = 1`, terms arrive once each in index order, and huge
  /// logits never overflow.
  @Test func termsArriveInOrderAndNeverOverflow() {
    let logits: [Double] = [1e4, 1e4 - 1, -1e4, 1e4 + 0.5]
    var seen: [Int] = []
    var terms: [Double] = []
    let (largest, sum) = logSumExpParts(count: logits.count, { logits[$0] }) {
      seen.append($0)
      terms.append($1)
    }
    #expect(seen == [0, 1, 2, 3])
    #expect(largest == 1e4 + 0.5)
    #expect(terms[3] == 1 && terms[2] == 0)
    #expect(abs(sum - (exp(-0.5) + exp(-1.5) + 1)) < 1e-12)
  }

  /// An empty row: no terms, largest −∞ and sum 0, so log-sum-exp is −∞ (NumPy's value).
  @Test func emptyRowHasNegativeInfiniteLogSumExp() {
    var called = false
    let (largest, sum) = logSumExpParts(count: 0, { _ in 0 }) { _, _ in called = true }
    #expect(!called && largest == -.infinity && sum == 0)
    #expect(largest + log(sum) == -.infinity)
  }
}
