import Classical
import Testing

@Suite struct ClassicalCalibrationTests {
  @Test func plattSigmoidMatchesScikitLearn() {
    let data = ClassicalFixture.object("calibration")
    let labels = data.ints("labels")
    let sigmoid = PlattScaling.fit(
      decisions: data.doubles("decisions"), positive: labels.map { $0 == 1 })
    #expect(abs(sigmoid.a - data.number("a")) < 1e-3, "\(sigmoid.a)")
    #expect(abs(sigmoid.b - data.number("b")) < 1e-3, "\(sigmoid.b)")
    #expect(sigmoid.probability(5) > 0.5 && sigmoid.probability(-5) < 0.5)
  }

  @Test func pairwiseCouplingSolvesWuLinWengSystem() {
    let data = ClassicalFixture.object("calibration")
    let r = data.matrix("pairwise")
    let k = r.shape[0]
    let pairs = (0..<k).map { i in (0..<k).map { j in Double(r.storage[i * k + j]) } }
    let p = pairwiseCoupling(pairs)
    #expect(maxAbsDifference(p, data.doubles("coupled")) < 1e-6)
    #expect(abs(p.reduce(0, +) - 1) < 1e-9)
  }
}
