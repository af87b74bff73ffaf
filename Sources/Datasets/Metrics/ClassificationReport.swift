import Foundation

/// Classification metrics of one evaluation: accuracy, per-class and averaged precision / recall / F1,
/// and the confusion matrix.
///
/// Matches scikit-learn's `accuracy_score`, `confusion_matrix(labels=…)` and
/// `precision_recall_fscore_support(labels=…, zero_division=0)` with `average=None`, `"macro"` and
/// `"weighted"`: a ratio whose denominator is 0 is 0, never NaN, and every listed class counts in the
/// macro average even when it is absent from both truth and predictions. With no samples at all every
/// score is 0.
///
/// Codable as JSON with the keys `classes`, `n`, `accuracy`, `macro_precision`, `macro_recall`,
/// `macro_f1`, `weighted_precision`, `weighted_recall`, `weighted_f1`, `per_class`
/// (class name → `{precision, recall, f1, support}`) and `confusion` (rows = true, columns =
/// predicted, in `classes` order).
public struct ClassificationReport: Sendable, Equatable, Codable {
  /// Class names in index order.
  public let classes: [String]
  /// Number of samples.
  public let n: Int
  /// Fraction of samples predicted correctly.
  public let accuracy: Double
  /// Unweighted mean over classes of the per-class precision.
  public let macroPrecision: Double
  /// Unweighted mean over classes of the per-class recall.
  public let macroRecall: Double
  /// Unweighted mean over classes of the per-class F1.
  public let macroF1: Double
  /// Support-weighted mean of the per-class precision.
  public let weightedPrecision: Double
  /// Support-weighted mean of the per-class recall (equals accuracy).
  public let weightedRecall: Double
  /// Support-weighted mean of the per-class F1.
  public let weightedF1: Double
  /// Scores of each class, keyed by class name.
  public let perClass: [String: ClassScores]
  /// `confusion[true][predicted]`, in `classes` order.
  public let confusion: [[Int]]

  /// The metrics of a confusion matrix.
  public init(_ matrix: ConfusionMatrix) {
    let k = matrix.classes.count
    let support = matrix.support
    let predicted = matrix.predictedCounts
    let total = matrix.total
    func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    var scores: [ClassScores] = []
    for c in 0..<k {
      let tp = matrix.counts[c][c]
      scores.append(
        ClassScores(
          precision: ratio(tp, predicted[c]), recall: ratio(tp, support[c]),
          f1: ratio(2 * tp, support[c] + predicted[c]), support: support[c]))
    }
    func macro(_ value: (ClassScores) -> Double) -> Double {
      scores.reduce(0) { $0 + value($1) } / Double(k)
    }
    func weighted(_ value: (ClassScores) -> Double) -> Double {
      total == 0 ? 0 : scores.reduce(0) { $0 + value($1) * Double($1.support) } / Double(total)
    }

    classes = matrix.classes
    n = total
    accuracy = ratio(matrix.correct, total)
    macroPrecision = macro(\.precision)
    macroRecall = macro(\.recall)
    macroF1 = macro(\.f1)
    weightedPrecision = weighted(\.precision)
    weightedRecall = weighted(\.recall)
    weightedF1 = weighted(\.f1)
    perClass = Dictionary(uniqueKeysWithValues: zip(matrix.classes, scores))
    confusion = matrix.counts
  }

  /// The metrics of paired label indices over `classes` (each label in `0..<classes.count`).
  public init(classes: [String], truth: [Int], predicted: [Int]) throws {
    self.init(try ConfusionMatrix(classes: classes, truth: truth, predicted: predicted))
  }

  /// The metrics of paired label names, each one of `classes`.
  public init(classes: [String], truth: [String], predicted: [String]) throws {
    let index = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    func indices(_ names: [String]) throws -> [Int] {
      try names.map { name in
        guard let i = index[name] else { throw MetricsError.unknownLabel(name) }
        return i
      }
    }
    try self.init(classes: classes, truth: indices(truth), predicted: indices(predicted))
  }

  /// The metrics of paired true and predicted emotions over the 7 classes.
  public init(truth: [Emotion], predicted: [Emotion]) throws {
    self.init(try ConfusionMatrix(truth: truth, predicted: predicted))
  }

  /// Scores of each class in `classes` order.
  public var scoresInClassOrder: [ClassScores] { classes.map { perClass[$0]! } }

  /// The confusion matrix these metrics were computed from.
  public var confusionMatrix: ConfusionMatrix {
    // `init(from:)` checked the table's shape, so rebuilding cannot fail.
    try! ConfusionMatrix(classes: classes, counts: confusion)
  }

  // MARK: JSON

  enum CodingKeys: String, CodingKey {
    case classes, n, accuracy, confusion
    case macroPrecision = "macro_precision"
    case macroRecall = "macro_recall"
    case macroF1 = "macro_f1"
    case weightedPrecision = "weighted_precision"
    case weightedRecall = "weighted_recall"
    case weightedF1 = "weighted_f1"
    case perClass = "per_class"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    classes = try c.decode([String].self, forKey: .classes)
    n = try c.decode(Int.self, forKey: .n)
    accuracy = try c.decode(Double.self, forKey: .accuracy)
    macroPrecision = try c.decode(Double.self, forKey: .macroPrecision)
    macroRecall = try c.decode(Double.self, forKey: .macroRecall)
    macroF1 = try c.decode(Double.self, forKey: .macroF1)
    weightedPrecision = try c.decode(Double.self, forKey: .weightedPrecision)
    weightedRecall = try c.decode(Double.self, forKey: .weightedRecall)
    weightedF1 = try c.decode(Double.self, forKey: .weightedF1)
    perClass = try c.decode([String: ClassScores].self, forKey: .perClass)
    confusion = try c.decode([[Int]].self, forKey: .confusion)
    let matrix: ConfusionMatrix
    do {
      matrix = try ConfusionMatrix(classes: classes, counts: confusion)
    } catch {
      throw DecodingError.dataCorruptedError(
        forKey: .confusion, in: c, debugDescription: "\(error)")
    }
    guard matrix.total == n else {
      throw DecodingError.dataCorruptedError(
        forKey: .n, in: c,
        debugDescription: "n = \(n) but the confusion matrix counts \(matrix.total)")
    }
    guard Set(perClass.keys) == Set(classes) else {
      throw DecodingError.dataCorruptedError(
        forKey: .perClass, in: c, debugDescription: "per_class keys do not match classes")
    }
  }

  /// The report as JSON (pretty-printed, keys sorted so equal reports give equal bytes).
  public func jsonData() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Every field is a finite number, string or array: encoding cannot fail.
    return try! encoder.encode(self)
  }

  /// A report read back from `jsonData()` output.
  public init(jsonData: Data) throws {
    self = try JSONDecoder().decode(ClassificationReport.self, from: jsonData)
  }
}
