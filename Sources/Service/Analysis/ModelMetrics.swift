import Datasets

/// A model's scores on its validation set, from the card's `ClassificationReport`.
public struct ModelMetrics: Codable, Sendable, Equatable {
  /// Number of validation images.
  public var samples: Int
  public var accuracy: Double
  public var macroF1: Double
  /// Per class, in the card's class order.
  public var perClass: [ClassMetrics]
  /// `confusion[trueClass][predictedClass]` counts, in the card's class order.
  public var confusion: [[Int]]

  public init(
    samples: Int, accuracy: Double, macroF1: Double, perClass: [ClassMetrics], confusion: [[Int]]
  ) {
    self.samples = samples
    self.accuracy = accuracy
    self.macroF1 = macroF1
    self.perClass = perClass
    self.confusion = confusion
  }

  /// The scores of a classification report, classes in its order.
  public init(_ report: ClassificationReport) {
    self.init(
      samples: report.n, accuracy: report.accuracy, macroF1: report.macroF1,
      perClass: report.classes.map { name in
        let s = report.perClass[name]
        return ClassMetrics(
          emotion: name, precision: s?.precision ?? 0, recall: s?.recall ?? 0, f1: s?.f1 ?? 0,
          support: s?.support ?? 0)
      },
      confusion: report.confusion)
  }

  enum CodingKeys: String, CodingKey {
    case samples, accuracy, confusion
    case macroF1 = "macro_f1"
    case perClass = "per_class"
  }
}
