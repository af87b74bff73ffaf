import Tensor
import Testing

@Suite struct SoftmaxTests {
  struct Fixture: Decodable {
    let logits, softmax, logSoftmax, logSumExp: FixtureTensor
  }

  @Test func matchesNumPyIncludingExtremeLogits() throws {
    let f = try loadFixture("softmax.json", as: Fixture.self)
    let logits = f.logits.tensor
    expectClose(logits.softmaxRows(), f.softmax.tensor, rtol: 1e-5, atol: 1e-7)
    // Log-probabilities of rows offset by ±1e4 are O(1) and must be accurate as such, although
    // the float32 spacing of the logits there is 1e-3 (subtracting a rounded logsumexp fails).
    expectClose(logits.logSoftmaxRows(), f.logSoftmax.tensor, rtol: 1e-5, atol: 1e-5)
    expectClose(logits.logSumExpRows(), f.logSumExp.tensor, rtol: 1e-6, atol: 1e-5)
    #expect(logits.softmaxRows().storage.allSatisfy { $0.isFinite && $0 >= 0 })
  }

  @Test func inPlaceFormsMatchAndRowsSumToOne() throws {
    let f = try loadFixture("softmax.json", as: Fixture.self)
    var probabilities = f.logits.tensor
    probabilities.softmaxRowsInPlace()
    #expect(probabilities == f.logits.tensor.softmaxRows())
    for total in probabilities.sum(axis: 1).storage { #expect(abs(total - 1) < 1e-6) }
    var logProbabilities = f.logits.tensor
    logProbabilities.logSoftmaxRowsInPlace()
    #expect(logProbabilities == f.logits.tensor.logSoftmaxRows())
  }

  @Test func worksOnTheLastAxisOfHigherRanks() {
    let x = Tensor(shape: [2, 2, 3], storage: (0..<12).map { Float($0) })
    let flat = x.reshaped([4, 3]).softmaxRows()
    #expect(x.softmaxRows().storage == flat.storage)
    #expect(x.logSumExpRows().shape == [2, 2])
  }
}
