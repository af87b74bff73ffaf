import Classical
import Tensor
import Testing

@Suite struct ClassicalPCATests {
  /// Largest difference between matching rows of two `[k, d]` matrices, each row up to sign.
  func rowsDifferenceUpToSign(_ a: Tensor, _ b: Tensor) -> Double {
    let d = a.shape[1]
    var worst = 0.0
    for r in 0..<a.shape[0] {
      let x = a.storage[(r * d)..<((r + 1) * d)]
      let y = b.storage[(r * d)..<((r + 1) * d)]
      let same = maxAbsDifference(x, y)
      let flipped = maxAbsDifference(x, y.map { -$0 })
      worst = max(worst, min(same, flipped))
    }
    return worst
  }

  @Test(arguments: [PCA.Solver.full, .randomized])
  func matchesScikitLearn(_ solver: PCA.Solver) throws {
    let data = ClassicalFixture.object("pca")
    var options = PCA.Options()
    options.components = 5
    options.solver = solver
    let pca = try PCA.fit(data.matrix("x"), options: options)
    #expect(pca.components.shape == [5, 12])
    let components = data.matrix("components")
    #expect(rowsDifferenceUpToSign(pca.components, components) < 1e-4)
    let variance = data.doubles("explained_variance")
    for (mine, theirs) in zip(pca.explainedVariance, variance) {
      #expect(abs(Double(mine) - theirs) <= 1e-4 * theirs, "\(mine) vs \(theirs)")
    }
    #expect(
      maxAbsDifference(pca.explainedVarianceRatio, data.doubles("explained_variance_ratio")) < 1e-5)
    // Projections: columns match up to the sign of their component.
    let x = data.matrix("x")
    let firstRows = Tensor(shape: [10, 12], storage: Array(x.storage[0..<120]))
    let projected = try pca.transform(firstRows)
    let reference = data.matrix("transform")
    for c in 0..<5 {
      let mine = (0..<10).map { projected.storage[$0 * 5 + c] }
      let theirs = (0..<10).map { reference.storage[$0 * 5 + c] }
      let error = min(maxAbsDifference(mine, theirs), maxAbsDifference(mine, theirs.map { -$0 }))
      #expect(error < 1e-3, "component \(c): \(error)")
    }
  }

  @Test func randomizedApproximatesFullOnLargerProblem() throws {
    // 400×60 data with a fast-decaying spectrum: the sketch (10 components + 10 oversampling,
    // 3 power iterations) must recover the leading subspace.
    var storage = [Float](repeating: 0, count: 400 * 60)
    var state: UInt64 = 12345
    func uniform() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(state >> 40) / Float(1 << 24) - 0.5
    }
    let basis = (0..<(10 * 60)).map { _ in uniform() }
    for i in 0..<400 {
      for k in 0..<10 {
        let weight = uniform() * Float(20 >> (k / 2))
        for j in 0..<60 { storage[i * 60 + j] += weight * basis[k * 60 + j] }
      }
      for j in 0..<60 { storage[i * 60 + j] += 0.01 * uniform() }
    }
    let x = Tensor(shape: [400, 60], storage: storage)
    var options = PCA.Options()
    options.components = 6
    let full = try PCA.fit(x, options: options)
    options.solver = .randomized
    options.powerIterations = 3
    let fast = try PCA.fit(x, options: options)
    for (a, b) in zip(full.explainedVariance, fast.explainedVariance) {
      #expect(abs(a - b) <= 1e-3 * a)
    }
    #expect(rowsDifferenceUpToSign(full.components, fast.components) < 1e-2)
  }

  @Test func rejectsBadOptionsAndWidths() throws {
    let x = Tensor(shape: [4, 3], storage: (0..<12).map(Float.init))
    var options = PCA.Options()
    options.components = 4
    #expect(throws: ClassicalError.self) { try PCA.fit(x, options: options) }
    options.components = 2
    let pca = try PCA.fit(x, options: options)
    #expect(throws: ClassicalError.featureCountMismatch(expected: 3, got: 2)) {
      try pca.transform(Tensor(shape: [1, 2], storage: [1, 2]))
    }
  }
}
