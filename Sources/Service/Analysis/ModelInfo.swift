import Datasets
import Foundation

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
  /// Evaluation on held-out data, when the card has it: of the form this server runs (for a
  /// CNN in 8 bits, the card's evaluation of the 8-bit network, when it has one).
  public var metrics: ModelMetrics?
  /// How this server runs a CNN: `int8` (its 8-bit form on AVX-512 VNNI) or `float32`; nil
  /// for other kinds.
  public var precision: String?
  /// Temperature scaling, when the card has it.
  public var calibration: ModelCalibration?
  /// Intended use and limitations, from the card.
  public var intendedUse: String?

  public init(
    name: String, kind: String = "test", description: String, isDefault: Bool = false,
    version: String? = nil, trainedAt: String? = nil, input: ModelInput? = nil,
    classes: [String] = Emotion.names, metrics: ModelMetrics? = nil,
    calibration: ModelCalibration? = nil, intendedUse: String? = nil, precision: String? = nil
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
    self.precision = precision
  }

  /// What the page and the API show of a model file's card; `int8` when this server runs the
  /// CNN's 8-bit form, whose metrics (`architecture.int8.evaluation.metrics`, written by `emocl
  /// quantize --evaluate`) are then shown when the card has them.
  public init(name: String, card: ModelCard, isDefault: Bool, int8: Bool = false) {
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
      input: input, classes: card.classes,
      metrics: (int8 ? Self.int8Report(card) ?? card.metrics : card.metrics).map(
        ModelMetrics.init),
      calibration: card.calibration,
      intendedUse: card.intendedUse,
      precision: card.kind == .cnn ? (int8 ? "int8" : "float32") : nil)
  }

  /// The card's evaluation of the 8-bit network, if it has a well-formed one.
  static func int8Report(_ card: ModelCard) -> ClassificationReport? {
    guard let metrics = card.architecture["int8"]?["evaluation"]?["metrics"],
      let data = try? JSONEncoder().encode(metrics)
    else { return nil }
    return try? JSONDecoder().decode(ClassificationReport.self, from: data)
  }

  enum CodingKeys: String, CodingKey {
    case name, kind, description, version, input, classes, metrics, calibration, precision
    case isDefault = "default"
    case trainedAt = "trained_at"
    case intendedUse = "intended_use"
  }
}

/// Temperature scaling fitted on the validation set, and the expected calibration error of the
/// top probability before and after it: the model card's own record, served as it is.
public typealias ModelCalibration = Calibration
