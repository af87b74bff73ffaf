import Classical
import Tensor
import Testing

@Suite struct ClassicalLogisticRegressionTests {
  static let cases = ["multinomial", "multinomial_balanced", "ovr", "ovr_balanced"]

  @Test(arguments: cases)
  func matchesScikitLearn(_ name: String) throws {
    let data = ClassicalFixture.object("logistic")
    let expected = data.object("cases").object(name)
    var options = LogisticRegression.Options()
    options.C = data.number("C")
    options.tolerance = 1e-6
    options.maxIterations = 2000
    options.multiclass = name.hasPrefix("ovr") ? .oneVsRest : .multinomial
    options.classWeight = name.hasSuffix("balanced") ? .balanced : .none
    let (model, report) = try LogisticRegression.fit(
      features: data.matrix("x"), labels: data.ints("y"), classCount: 4, options: options)
    #expect(report.converged.allSatisfy { $0 }, "\(report)")

    var intercepts = model.intercepts.map(Double.init)
    var reference = expected.doubles("intercept")
    if name.hasPrefix("multinomial") {
      // Softmax is invariant to a common intercept shift: compare centred intercepts.
      let (mine, theirs) = (intercepts.reduce(0, +) / 4, reference.reduce(0, +) / 4)
      intercepts = intercepts.map { $0 - mine }
      reference = reference.map { $0 - theirs }
    }
    #expect(
      maxAbsDifference(model.coefficients.storage, expected.matrix("coef").storage) < 2e-4,
      "\(maxAbsDifference(model.coefficients.storage, expected.matrix("coef").storage))")
    #expect(
      maxAbsDifference(intercepts, reference) < 2e-4, "\(maxAbsDifference(intercepts, reference))")
    let probabilities = try model.probabilities(data.matrix("x_test"))
    #expect(maxAbsDifference(probabilities.storage, expected.matrix("proba").storage) < 1e-4)
    #expect(try model.predict(data.matrix("x_test")) == expected.ints("predict"))
  }

  @Test func oneVsRestSchedulesAgree() throws {
    let data = ClassicalFixture.object("logistic")
    var options = LogisticRegression.Options()
    var models: [LogisticRegression] = []
    for schedule in LogisticRegression.OneVsRestSchedule.allCases {
      options.schedule = schedule
      let (model, report) = try LogisticRegression.fit(
        features: data.matrix("x"), labels: data.ints("y"), classCount: 4, options: options)
      #expect(report.converged.allSatisfy { $0 }, "\(schedule)")
      models.append(model)
    }
    // Concurrent and sequential run the same arithmetic; batched differs only by GEMM rounding.
    #expect(models[1] == models[2])
    #expect(maxAbsDifference(models[0].coefficients.storage, models[1].coefficients.storage) < 1e-3)
    #expect(maxAbsDifference(models[0].intercepts, models[1].intercepts) < 1e-3)
  }

  @Test func iterationLimitIsReportedAsNotConverged() throws {
    let data = ClassicalFixture.object("logistic")
    var options = LogisticRegression.Options()
    options.maxIterations = 2
    options.tolerance = 1e-12
    let (_, report) = try LogisticRegression.fit(
      features: data.matrix("x"), labels: data.ints("y"), classCount: 4, options: options)
    #expect(report.iterations.allSatisfy { $0 == 2 })
    #expect(report.converged.allSatisfy { !$0 })
  }

  @Test func rejectsBadInput() {
    let x = Tensor(shape: [3, 2], storage: [0, 1, 2, 3, 4, 5])
    #expect(throws: ClassicalError.labelCountMismatch(labels: 2, samples: 3)) {
      try LogisticRegression.fit(features: x, labels: [0, 1], classCount: 2)
    }
    #expect(throws: ClassicalError.labelOutOfRange(label: 5, classCount: 2)) {
      try LogisticRegression.fit(features: x, labels: [0, 1, 5], classCount: 2)
    }
    #expect(throws: ClassicalError.tooFewClasses(found: 1, needed: 2)) {
      try LogisticRegression.fit(features: x, labels: [1, 1, 1], classCount: 2)
    }
    var nan = x
    nan.storage[3] = .nan
    #expect(throws: ClassicalError.nonFiniteFeature(row: 1, column: 1)) {
      try LogisticRegression.fit(features: nan, labels: [0, 1, 0], classCount: 2)
    }
    var options = LogisticRegression.Options()
    options.C = 0
    #expect(throws: ClassicalError.self) {
      try LogisticRegression.fit(features: x, labels: [0, 1, 0], classCount: 2, options: options)
    }
  }
}
