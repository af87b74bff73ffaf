import Datasets

/// A model the service can run, as `GET /api/v1/models` and the model page show it: read from
/// the model file's card (`ModelCard`), see `init(name:card:isDefault:)`.
public struct ModelInfo: Codable, Sendable, Equatable {
  /// Name used in `?model=` (e.g. `cnn`).
  public var name: String
  /// The card's model kind (`cnn`, `logreg`, `svm`).
  public var kind: String
  /// One line for people, e.g. "Convolutional network, 48×48 grey input".
  public var description: String
  /// Whether this model is used when `?model=` is absent.
  public var isDefault: Bool
  /// The Emocl release that wrote the model file.
  public var version: String?
  /// When training finished (RFC 3339, UTC), when the card records it.
  public var trainedAt: String?
  /// The input the model classifies (faces are resized to it).
  public var input: ModelInput?
  /// Class names in output order.
  public var classes: [String]
  /// Evaluation on held-out data, when the card has it.
  public var metrics: ModelMetrics?
  /// Temperature scaling, when the card has it.
  public var calibration: ModelCalibration?
  /// Intended use and limitations, from the card.
  public var intendedUse: String?

  public init(
    name: String, kind: String = "test", description: String, isDefault: Bool = false,
    version: String? = nil, trainedAt: String? = nil, input: ModelInput? = nil,
    classes: [String] = Emotion.names, metrics: ModelMetrics? = nil,
    calibration: ModelCalibration? = nil, intendedUse: String? = nil
  ) {
    self.name = name
    self.kind = kind
    self.description = description
    self.isDefault = isDefault
    self.version = version
    self.trainedAt = trainedAt
    self.input = input
    self.classes = classes
    self.metrics = metrics
    self.calibration = calibration
    self.intendedUse = intendedUse
  }

  /// What the page and the API show of a model file's card.
  public init(name: String, card: ModelCard, isDefault: Bool) {
    let input = ModelInput(
      width: card.input.width, height: card.input.height, channels: card.input.channels)
    let colour = card.input.channels == 1 ? "grey" : "colour"
    let what: String
    switch card.kind {
    case .cnn: what = "Convolutional network"
    case .logreg: what = "Logistic regression"
    case .svm: what = "Support vector machine"
    default: what = card.kind.rawValue
    }
    self.init(
      name: name, kind: card.kind.rawValue,
      description: "\(what), \(input.width)×\(input.height) \(colour) input",
      isDefault: isDefault, version: card.emoclVersion, trainedAt: card.training?.date,
      input: input, classes: card.classes, metrics: card.metrics.map(ModelMetrics.init),
      calibration: card.calibration,
      intendedUse: card.intendedUse)
  }

  enum CodingKeys: String, CodingKey {
    case name, kind, description, version, input, classes, metrics, calibration
    case isDefault = "default"
    case trainedAt = "trained_at"
    case intendedUse = "intended_use"
  }
}

/// The input size a model classifies.
public struct ModelInput: Codable, Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// 1 for grey, 3 for RGB.
  public var channels: Int

  public init(width: Int, height: Int, channels: Int) {
    self.width = width
    self.height = height
    self.channels = channels
  }
}

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

/// Precision, recall and F1 of one class.
public struct ClassMetrics: Codable, Sendable, Equatable {
  /// The class name (an emotion for emotion models).
  public var emotion: String
  public var precision: Double
  public var recall: Double
  public var f1: Double
  /// Validation images of this class.
  public var support: Int

  public init(emotion: String, precision: Double, recall: Double, f1: Double, support: Int) {
    self.emotion = emotion
    self.precision = precision
    self.recall = recall
    self.f1 = f1
    self.support = support
  }
}

/// Temperature scaling fitted on the validation set, and the expected calibration error of the
/// top probability before and after it: the model card's own record, served as it is.
public typealias ModelCalibration = Calibration
