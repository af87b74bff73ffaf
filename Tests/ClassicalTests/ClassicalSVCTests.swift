import Classical
import Foundation
import Tensor
import Testing

@Suite struct ClassicalSVCTests {
  static let cases = ["rbf", "linear", "poly", "rbf_balanced"]

  func options(for name: String) -> SVC.Options {
    var options = SVC.Options()
    options.tolerance = 1e-6
    switch name {
    case "rbf":
      options.C = 10
    case "linear":
      options.kernel = .linear
      options.C = 0.5
    case "poly":
      options.kernel = .polynomial
      options.C = 2
      options.degree = 3
      options.gamma = .value(0.2)
      options.coef0 = 1
    default:
      options.C = 1
      options.gamma = .value(0.3)
      options.classWeight = .balanced
    }
    return options
  }

  @Test(arguments: cases)
  func oneVsOneMatchesScikitLearn(_ name: String) throws {
    let data = ClassicalFixture.object("svm")
    let expected = data.object("cases").object(name)
    let labels = data.ints("y")
    let (model, report) = try SVC.fit(
      features: data.matrix("x"), labels: labels, classCount: 3, options: options(for: name))
    #expect(report.unconverged == 0)
    if case .rbf(let gamma) = model.kernel {
      #expect(abs(gamma - expected.number("gamma")) < 1e-6 * gamma)
    }
    #expect(report.supportCounts == expected.ints("n_support"))
    #expect(report.supportIndices == expected.ints("support"))
    #expect(maxAbsDifference(model.intercepts, expected.doubles("intercept")) < 1e-3)
    // Dual coefficients per pair, spread over the training set.
    let reference = expected.matrix("pair_coef")
    let n = labels.count
    var dense = [Float](repeating: 0, count: 3 * n)
    for (k, index) in report.supportIndices.enumerated() {
      for m in 0..<3 {
        dense[m * n + index] = model.dualCoefficients.storage[m * report.supportIndices.count + k]
      }
    }
    #expect(maxAbsDifference(dense, reference.storage) < 1e-3 * max(1, options(for: name).C))
    let test = data.matrix("x_test")
    let decisions = try model.decisionFunction(test)
    #expect(maxAbsDifference(decisions.storage, expected.matrix("decision").storage) < 1e-3)
    #expect(try model.predict(test) == expected.ints("predict"))
  }

  @Test func oneVsRestMatchesPerClassMachines() throws {
    let data = ClassicalFixture.object("svm")
    let expected = data.object("cases").object("rbf_ovr")
    var options = options(for: "rbf")
    options.multiclass = .oneVsRest
    let (model, _) = try SVC.fit(
      features: data.matrix("x"), labels: data.ints("y"), classCount: 3, options: options)
    #expect(model.machineCount == 3)
    #expect(maxAbsDifference(model.intercepts, expected.doubles("intercept")) < 1e-3)
    let test = data.matrix("x_test")
    #expect(
      maxAbsDifference(
        try model.decisionFunction(test).storage, expected.matrix("decision").storage)
        < 1e-3)
    #expect(try model.predict(test) == expected.ints("predict"))
    let supportPerMachine = (0..<3).map { m in
      (0..<model.supportVectors.shape[0]).filter {
        model.dualCoefficients.storage[m * model.supportVectors.shape[0] + $0] != 0
      }.count
    }
    #expect(supportPerMachine == expected.ints("n_support"))
  }

  @Test func tinyCacheGivesSameSolution() throws {
    let data = ClassicalFixture.object("svm")
    var options = options(for: "rbf")
    let (big, _) = try SVC.fit(
      features: data.matrix("x"), labels: data.ints("y"), classCount: 3, options: options)
    options.cacheBytes = 0  // two rows per machine: every step recomputes rows
    options.threads = .workers(1)
    let (small, report) = try SVC.fit(
      features: data.matrix("x"), labels: data.ints("y"), classCount: 3, options: options)
    #expect(report.kernelRowsComputed.allSatisfy { $0 > 0 })
    #expect(maxAbsDifference(big.dualCoefficients.storage, small.dualCoefficients.storage) < 1e-5)
  }

  @Test func probabilitiesAreCalibratedDistributions() throws {
    let data = ClassicalFixture.object("svm")
    var options = options(for: "rbf")
    options.C = 1
    options.probability = true
    for multiclass in SVC.Multiclass.allCases {
      options.multiclass = multiclass
      let (model, _) = try SVC.fit(
        features: data.matrix("x"), labels: data.ints("y"), classCount: 3, options: options)
      let x = data.matrix("x")
      let probabilities = try model.probabilities(x)
      let labels = data.ints("y")
      var logLoss = 0.0
      for i in 0..<labels.count {
        let row = probabilities.storage[(i * 3)..<(i * 3 + 3)]
        #expect(abs(row.reduce(0, +) - 1) < 1e-4)
        #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 })
        logLoss -= log(Double(max(row[row.startIndex + labels[i]], 1e-9)))
      }
      // Clearly better than uniform guessing (log 3 ≈ 1.10 per sample) on these blobs.
      #expect(logLoss / Double(labels.count) < 0.8, "\(multiclass)")
    }
  }

  @Test func withoutCalibrationProbabilitiesThrow() throws {
    let data = ClassicalFixture.object("svm")
    let (model, _) = try SVC.fit(
      features: data.matrix("x"), labels: data.ints("y"), classCount: 3)
    #expect(throws: ClassicalError.self) { try model.probabilities(data.matrix("x_test")) }
  }
}
