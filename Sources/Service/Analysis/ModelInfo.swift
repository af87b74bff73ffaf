import Learning

/// A model the service can run, with the evaluation shown on the model page
/// (`GET /api/v1/models`). The real analyzer fills these from the model cards.
public struct ModelInfo: Codable, Sendable, Equatable {
  /// Name used in `?model=` (e.g. `cnn`).
  public var name: String
  /// One line for people, e.g. "CNN, 4 conv layers, 48×48 grey input".
  public var description: String
  /// Whether this model is used when `?model=` is absent.
  public var isDefault: Bool
  /// Emocl version and training date from the model card, free text.
  public var version: String?
  /// Evaluation on held-out data, when the model card has it.
  public var metrics: ModelMetrics?

  public init(
    name: String, description: String, isDefault: Bool = false, version: String? = nil,
    metrics: ModelMetrics? = nil
  ) {
    self.name = name
    self.description = description
    self.isDefault = isDefault
    self.version = version
    self.metrics = metrics
  }

  enum CodingKeys: String, CodingKey {
    case name, description, version, metrics
    case isDefault = "default"
  }
}

/// A model's scores on a held-out set.
public struct ModelMetrics: Codable, Sendable, Equatable {
  /// Which data the scores are on, e.g. "fer2013/val".
  public var dataset: String
  public var accuracy: Double
  public var macroF1: Double
  /// Per class, in `Emotion.allCases` order.
  public var perClass: [ClassMetrics]
  /// `confusion[trueClass][predictedClass]` counts, classes in `Emotion.allCases` order.
  public var confusion: [[Int]]
  /// Reliability of the top probability, when measured.
  public var calibration: ModelCalibration?

  public init(
    dataset: String, accuracy: Double, macroF1: Double, perClass: [ClassMetrics],
    confusion: [[Int]], calibration: ModelCalibration? = nil
  ) {
    self.dataset = dataset
    self.accuracy = accuracy
    self.macroF1 = macroF1
    self.perClass = perClass
    self.confusion = confusion
    self.calibration = calibration
  }

  enum CodingKeys: String, CodingKey {
    case dataset, accuracy, confusion, calibration
    case macroF1 = "macro_f1"
    case perClass = "per_class"
  }
}

/// Precision, recall and F1 of one class.
public struct ClassMetrics: Codable, Sendable, Equatable {
  public var emotion: Emotion
  public var precision: Double
  public var recall: Double
  public var f1: Double
  public var support: Int

  public init(emotion: Emotion, precision: Double, recall: Double, f1: Double, support: Int) {
    self.emotion = emotion
    self.precision = precision
    self.recall = recall
    self.f1 = f1
    self.support = support
  }
}

/// Expected calibration error and the reliability diagram's bins.
public struct ModelCalibration: Codable, Sendable, Equatable {
  public var ece: Double
  public var bins: [CalibrationBin]

  public init(ece: Double, bins: [CalibrationBin]) {
    self.ece = ece
    self.bins = bins
  }
}

/// One bin of a reliability diagram: predictions whose top probability fell in [lower, upper).
public struct CalibrationBin: Codable, Sendable, Equatable {
  public var lower: Double
  public var upper: Double
  public var count: Int
  /// Mean top probability in the bin.
  public var confidence: Double
  /// Fraction of the bin's predictions that were right.
  public var accuracy: Double

  public init(lower: Double, upper: Double, count: Int, confidence: Double, accuracy: Double) {
    self.lower = lower
    self.upper = upper
    self.count = count
    self.confidence = confidence
    self.accuracy = accuracy
  }
}
