import Datasets
import Foundation
import TestSupport
import Testing

/// One case of `Fixtures/metrics_reference.json` (written by Scripts/fixtures/metrics_reference.py).
private struct MetricsCase: Decodable {
  struct Expected: Decodable {
    let accuracy: Double
    let confusion: [[Int]]
    let perClass: [String: ClassScores]
    let macroPrecision: Double
    let macroRecall: Double
    let macroF1: Double
    let weightedPrecision: Double
    let weightedRecall: Double
    let weightedF1: Double

    enum CodingKeys: String, CodingKey {
      case accuracy, confusion
      case perClass = "per_class"
      case macroPrecision = "macro_precision"
      case macroRecall = "macro_recall"
      case macroF1 = "macro_f1"
      case weightedPrecision = "weighted_precision"
      case weightedRecall = "weighted_recall"
      case weightedF1 = "weighted_f1"
    }
  }
  let name: String
  let classes: [String]
  let truth: [Int]
  let predicted: [Int]
  let expected: Expected

  enum CodingKeys: String, CodingKey {
    case name, classes, expected
    case truth = "y_true"
    case predicted = "y_pred"
  }
}

private struct MetricsFixture: Decodable { let cases: [MetricsCase] }

private func loadCases() throws -> [MetricsCase] {
  let url = SharedData.fixture("DatasetsTests", "metrics_reference.json")
  return try JSONDecoder().decode(MetricsFixture.self, from: Data(contentsOf: url)).cases
}

private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 }

@Suite struct ClassificationReportTests {
  @Test func emotionOrderIsFixed() {
    #expect(Emotion.names == ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"])
    #expect(Emotion.happy.index == 3)
    #expect(Emotion(index: 6) == .surprise)
    #expect(Emotion(index: 7) == nil)
  }

  @Test func matchesScikitLearn() throws {
    let cases = try loadCases()
    #expect(cases.count == 3)
    for c in cases {
      let r = try ClassificationReport(classes: c.classes, truth: c.truth, predicted: c.predicted)
      let e = c.expected
      #expect(r.classes == c.classes, "\(c.name)")
      #expect(r.n == c.truth.count, "\(c.name)")
      #expect(r.confusion == e.confusion, "\(c.name)")
      #expect(close(r.accuracy, e.accuracy), "\(c.name) accuracy")
      #expect(close(r.macroPrecision, e.macroPrecision), "\(c.name) macro precision")
      #expect(close(r.macroRecall, e.macroRecall), "\(c.name) macro recall")
      #expect(close(r.macroF1, e.macroF1), "\(c.name) macro f1")
      #expect(close(r.weightedPrecision, e.weightedPrecision), "\(c.name) weighted precision")
      #expect(close(r.weightedRecall, e.weightedRecall), "\(c.name) weighted recall")
      #expect(close(r.weightedF1, e.weightedF1), "\(c.name) weighted f1")
      for name in c.classes {
        let got = try #require(r.perClass[name])
        let want = try #require(e.perClass[name])
        #expect(got.support == want.support, "\(c.name) \(name)")
        #expect(close(got.precision, want.precision), "\(c.name) \(name) precision")
        #expect(close(got.recall, want.recall), "\(c.name) \(name) recall")
        #expect(close(got.f1, want.f1), "\(c.name) \(name) f1")
      }
    }
  }

  @Test func neverPredictedClassScoresZeroNotNaN() throws {
    let c = try #require(try loadCases().first { $0.name == "emotions_disgust_never_predicted" })
    #expect(!c.predicted.contains(Emotion.disgust.index))
    let r = try ClassificationReport(
      truth: c.truth.map { Emotion(index: $0)! }, predicted: c.predicted.map { Emotion(index: $0)! }
    )
    let disgust = try #require(r.perClass["disgust"])
    #expect(disgust.precision == 0 && disgust.recall == 0 && disgust.f1 == 0)
    #expect(disgust.support > 0)
    #expect(!r.macroPrecision.isNaN && !r.weightedF1.isNaN)
  }

  @Test func jsonHasExactKeysAndRoundTrips() throws {
    let r = try ClassificationReport(
      classes: ["no", "yes"], truth: ["no", "yes", "yes", "no"],
      predicted: ["no", "yes", "no", "no"])
    let data = r.jsonData()
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "classes", "n", "accuracy", "macro_precision", "macro_recall", "macro_f1",
        "weighted_precision", "weighted_recall", "weighted_f1", "per_class", "confusion",
      ])
    let perClass = try #require(object["per_class"] as? [String: [String: Any]])
    #expect(Set(perClass["yes"]?.keys ?? [:].keys) == ["precision", "recall", "f1", "support"])
    #expect((object["confusion"] as? [[Int]]) == [[2, 0], [1, 1]])
    #expect(try ClassificationReport(jsonData: data) == r)
  }

  @Test func decodingRejectsInconsistentConfusion() throws {
    let r = try ClassificationReport(classes: ["a", "b"], truth: [0, 1], predicted: [0, 0])
    var object = try #require(
      try JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any])
    object["confusion"] = [[1, 0]]
    let bad = try JSONSerialization.data(withJSONObject: object)
    #expect(throws: DecodingError.self) { try ClassificationReport(jsonData: bad) }
  }

  @Test func badLabelsAreTypedErrors() {
    #expect(throws: MetricsError.lengthMismatch(truth: 2, predicted: 1)) {
      try ClassificationReport(classes: ["a", "b"], truth: [0, 1], predicted: [0])
    }
    #expect(throws: MetricsError.labelOutOfRange(label: 2, classCount: 2)) {
      try ClassificationReport(classes: ["a", "b"], truth: [0, 1], predicted: [0, 2])
    }
    #expect(throws: MetricsError.unknownLabel("c")) {
      try ClassificationReport(classes: ["a", "b"], truth: ["a"], predicted: ["c"])
    }
    #expect(throws: MetricsError.invalidClasses(["a", "a"])) {
      try ConfusionMatrix(classes: ["a", "a"])
    }
  }

  @Test func emptyEvaluationIsAllZero() throws {
    let r = try ClassificationReport(classes: ["a", "b"], truth: [Int](), predicted: [])
    #expect(r.n == 0 && r.accuracy == 0 && r.macroF1 == 0 && r.weightedPrecision == 0)
  }

  @Test func matrixAccumulatesIncrementally() throws {
    var m = try ConfusionMatrix(classes: ["a", "b", "c"])
    try m.add(truth: [0, 1], predicted: [0, 2])
    try m.add(truth: 2, predicted: 2)
    #expect(m.counts == [[1, 0, 0], [0, 0, 1], [0, 0, 1]])
    #expect(m.total == 3 && m.correct == 2)
    #expect(m.support == [1, 1, 1] && m.predictedCounts == [1, 0, 2])
    #expect(ClassificationReport(m).confusionMatrix == m)
  }

  @Test func tableIsAligned() throws {
    let r = try ClassificationReport(
      truth: [.angry, .happy, .happy, .sad], predicted: [.angry, .happy, .sad, .sad])
    let text = r.table()
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let header = try #require(lines.first)
    let happy = try #require(lines.first { $0.hasPrefix("happy ") })
    // Right-aligned columns end at the same position as their header.
    #expect(happy.count == header.count)
    #expect(happy.contains("1.0000") && happy.contains("0.5000") && happy.hasSuffix("2"))
    #expect(text.contains("confusion matrix (rows = true, columns = predicted)"))
    let matrixHeader = try #require(lines.first { $0.hasPrefix("true \\ predicted") })
    let angryRow = try #require(lines.last { $0.hasPrefix("angry ") })
    #expect(angryRow.count == matrixHeader.count)
    #expect(
      angryRow.split(separator: " ").map(String.init) == [
        "angry", "1", "0", "0", "0", "0", "0", "0",
      ])
  }
}
