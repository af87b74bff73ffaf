/// Counts of (true class, predicted class) pairs over a fixed class list.
///
/// `counts[t][p]` is how many samples of true class `t` were predicted as `p` (rows = truth,
/// columns = prediction, both in `classes` order), as scikit-learn's `confusion_matrix`.
/// Accumulates incrementally, so an evaluation loop can `add` batch by batch.
public struct ConfusionMatrix: Sendable, Equatable {
  /// Class names in index order.
  public let classes: [String]
  /// `classes.count × classes.count` counts, `counts[true][predicted]`.
  public private(set) var counts: [[Int]]

  /// An all-zero matrix over `classes` (non-empty, distinct names).
  public init(classes: [String]) throws {
    guard !classes.isEmpty, Set(classes).count == classes.count else {
      throw MetricsError.invalidClasses(classes)
    }
    self.classes = classes
    self.counts = Array(
      repeating: Array(repeating: 0, count: classes.count), count: classes.count)
  }

  /// The matrix of paired label indices `truth[i]`, `predicted[i]` (each in `0..<classes.count`).
  public init(classes: [String], truth: [Int], predicted: [Int]) throws {
    try self.init(classes: classes)
    try add(truth: truth, predicted: predicted)
  }

  /// A matrix over `classes` from existing counts (`counts[true][predicted]`, square, non-negative).
  public init(classes: [String], counts: [[Int]]) throws {
    try self.init(classes: classes)
    guard counts.count == classes.count,
      counts.allSatisfy({ $0.count == classes.count && $0.allSatisfy { $0 >= 0 } })
    else {
      throw MetricsError.invalidCounts(classCount: classes.count)
    }
    self.counts = counts
  }

  /// The 7-emotion matrix of paired true and predicted emotions.
  public init(truth: [Emotion], predicted: [Emotion]) throws {
    try self.init(
      classes: Emotion.names, truth: truth.map(\.index), predicted: predicted.map(\.index))
  }

  /// Counts one sample.
  public mutating func add(truth: Int, predicted: Int) throws {
    for label in [truth, predicted] where !(0..<classes.count).contains(label) {
      throw MetricsError.labelOutOfRange(label: label, classCount: classes.count)
    }
    counts[truth][predicted] += 1
  }

  /// Counts paired samples; nothing is counted when any label is invalid.
  public mutating func add(truth: [Int], predicted: [Int]) throws {
    guard truth.count == predicted.count else {
      throw MetricsError.lengthMismatch(truth: truth.count, predicted: predicted.count)
    }
    for label in truth + predicted where !(0..<classes.count).contains(label) {
      throw MetricsError.labelOutOfRange(label: label, classCount: classes.count)
    }
    for (t, p) in zip(truth, predicted) { counts[t][p] += 1 }
  }

  /// Total number of samples counted.
  public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
  /// Samples whose prediction equals the truth (the diagonal).
  public var correct: Int { classes.indices.reduce(0) { $0 + counts[$1][$1] } }
  /// Per class: how many samples truly belong to it (row sums).
  public var support: [Int] { counts.map { $0.reduce(0, +) } }
  /// Per class: how many samples were predicted as it (column sums).
  public var predictedCounts: [Int] {
    classes.indices.map { p in counts.reduce(0) { $0 + $1[p] } }
  }
}
