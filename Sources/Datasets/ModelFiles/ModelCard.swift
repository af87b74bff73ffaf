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

/// The input a model expects and how pixels are normalised:
/// `x = (pixel * scale - mean[c]) / std[c]` for channel `c`.
public struct InputSpec: Sendable, Equatable, Codable {
  /// Width in pixels.
  public var width: Int
  /// Height in pixels.
  public var height: Int
  /// 1 for grey, 3 for RGB.
  public var channels: Int
  /// Applied to 0…255 pixel values first (1/255 maps to 0…1).
  public var scale: Double
  /// Per-channel mean subtracted after scaling (`channels` values).
  public var mean: [Double]
  /// Per-channel standard deviation divided by last (`channels` values, non-zero).
  public var std: [Double]

  public init(
    width: Int, height: Int, channels: Int, scale: Double = 1.0 / 255.0, mean: [Double]? = nil,
    std: [Double]? = nil
  ) {
    self.width = width
    self.height = height
    self.channels = channels
    self.scale = scale
    self.mean = mean ?? Array(repeating: 0, count: channels)
    self.std = std ?? Array(repeating: 1, count: channels)
  }

  /// FER2013 geometry: 48×48 grey, scaled to 0…1.
  public static let fer2013 = InputSpec(width: 48, height: 48, channels: 1)

  /// What is wrong with the spec, or nil.
  public var inconsistency: String? {
    if width <= 0 || height <= 0 { return "size \(width)x\(height) is not positive" }
    if channels != 1 && channels != 3 { return "channels must be 1 or 3, got \(channels)" }
    if mean.count != channels || std.count != channels {
      return "mean and std need \(channels) values each"
    }
    if !scale.isFinite || scale == 0 || std.contains(where: { $0 == 0 || !$0.isFinite }) {
      return "scale and std must be finite and non-zero"
    }
    return nil
  }
}

/// How a model was trained.
public struct TrainingInfo: Sendable, Equatable, Codable {
  /// The training data (e.g. `../shared/datasets/fer2013/train`).
  public var data: String
  /// The command line that trained the model.
  public var command: String
  /// Wall-clock training time in seconds.
  public var seconds: Double
  /// When training finished, ISO 8601 in UTC (e.g. `2025-01-31T12:00:00Z`).
  public var date: String

  public init(data: String, command: String, seconds: Double, date: Date = Date()) {
    self.data = data
    self.command = command
    self.seconds = seconds
    self.date = ISO8601DateFormatter().string(from: date)
  }
}

/// Temperature scaling fitted on validation data, with expected calibration error before and after.
public struct Calibration: Sendable, Equatable, Codable {
  /// Logits are divided by this before the softmax.
  public var temperature: Double
  /// Expected calibration error of the uncalibrated model.
  public var eceBefore: Double
  /// Expected calibration error after temperature scaling.
  public var eceAfter: Double

  public init(temperature: Double, eceBefore: Double, eceAfter: Double) {
    self.temperature = temperature
    self.eceBefore = eceBefore
    self.eceAfter = eceAfter
  }

  enum CodingKeys: String, CodingKey {
    case temperature
    case eceBefore = "ece_before"
    case eceAfter = "ece_after"
  }
}
