import Foundation

/// Everything needed to use and judge a model besides its weights: stored as JSON in the model
/// file's safetensors metadata under `ModelCard.metadataKey`.
///
/// JSON keys are snake_case: `kind`, `format_version`, `classes`, `input`, `architecture`,
/// `training`, `metrics`, `calibration`, `emocl_version`, `intended_use`.
public struct ModelCard: Sendable, Equatable, Codable {
  /// The safetensors `__metadata__` key holding the card's JSON.
  public static let metadataKey = "emocl_card"
  /// The card/file layout version this build writes and the newest it reads.
  public static let currentFormatVersion = 1

  /// Which model this is; decides the expected tensors.
  public var kind: ModelKind
  /// Card layout version the file was written with.
  public var formatVersion: Int
  /// Class names in output order (`Emotion.names` for emotion models).
  public var classes: [String]
  /// The input the model expects.
  public var input: InputSpec
  /// Architecture and hyper-parameters, free-form (e.g. `["hidden": 256, "l2": 1e-4]`).
  public var architecture: JSONValue
  /// How the model was trained, when known.
  public var training: TrainingInfo?
  /// Metrics on the validation set, when measured.
  public var metrics: ClassificationReport?
  /// Temperature scaling fitted on the validation set, when done.
  public var calibration: Calibration?
  /// The Emocl release that wrote the file.
  public var emoclVersion: String
  /// Intended use and limitations.
  public var intendedUse: String

  /// A card for the current format and Emocl version; `intendedUse` defaults to
  /// `ModelCard.standardIntendedUse`.
  public init(
    kind: ModelKind, classes: [String], input: InputSpec, architecture: JSONValue = [:],
    training: TrainingInfo? = nil, metrics: ClassificationReport? = nil,
    calibration: Calibration? = nil, intendedUse: String = ModelCard.standardIntendedUse
  ) {
    self.kind = kind
    self.formatVersion = Self.currentFormatVersion
    self.classes = classes
    self.input = input
    self.architecture = architecture
    self.training = training
    self.metrics = metrics
    self.calibration = calibration
    self.emoclVersion = EmoclVersion.string
    self.intendedUse = intendedUse
  }

  /// The limitations every Emocl emotion model shares.
  public static let standardIntendedUse = """
    Research and education only. Trained on FER2013, a data set of 48x48 grey face crops \
    scraped from web image searches and released for non-commercial research; its labels are \
    noisy (reported human accuracy is about 65%), its faces skew towards some ages, skin tones and \
    posed expressions, and the classes are imbalanced (few 'disgust' examples), so accuracy \
    differs across groups and settings. A facial expression is not a felt emotion: outputs \
    are guesses about a picture, not facts about a person. Do not use the model to make \
    decisions about people. The EU AI Act (Article 5(1)(f)) prohibits emotion recognition \
    in the workplace and in education institutions, except for medical or safety reasons.
    """

  enum CodingKeys: String, CodingKey {
    case kind, classes, input, architecture, training, metrics, calibration
    case formatVersion = "format_version"
    case emoclVersion = "emocl_version"
    case intendedUse = "intended_use"
  }

  /// The card as compact JSON with sorted keys (what goes into the file).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// Problems that make the card unusable (empty, duplicate or mismatched fields), or nil.
  public var inconsistency: String? {
    if classes.isEmpty { return "no classes" }
    if Set(classes).count != classes.count { return "duplicate class names in \(classes)" }
    if let problem = input.inconsistency { return "input: \(problem)" }
    if let metrics, metrics.classes != classes {
      return "metrics classes \(metrics.classes) differ from card classes \(classes)"
    }
    return nil
  }
}
