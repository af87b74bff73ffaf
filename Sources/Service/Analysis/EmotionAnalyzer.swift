import Pipeline

/// What the service asks of the model: turn encoded image bytes into faces and emotions.
///
/// The service depends only on this protocol, so routes, storage and the page are tested with a
/// deterministic analyzer while the real one (decode, detect, crop, classify) lives elsewhere.
/// Implementations report bad images by throwing `AnalyzerError`; any other error becomes a 422.
public protocol EmotionAnalyzer: Sendable {
  /// The models this analyzer can run; the first with `isDefault` (else the first) is the default.
  var models: [ModelInfo] { get }
  /// Analyses one encoded image (JPEG, PNG or WebP bytes).
  func analyze(imageBytes: [UInt8], options: AnalyzeOptions) async throws -> AnalysisResult
}

extension EmotionAnalyzer {
  /// The model used when `?model=` is absent: the first marked default, else the first.
  public var defaultModel: String? {
    (models.first(where: \.isDefault) ?? models.first)?.name
  }
}

/// How to analyse one image (the query parameters of `POST /api/v1/analyze`).
public struct AnalyzeOptions: Sendable, Equatable {
  /// Model name, one of `EmotionAnalyzer.models` (e.g. `cnn`, `svm`, `logreg`).
  public var model: String
  /// Whether to run face detection; when false and `boxes` is nil the whole image is one face.
  public var detect: Bool
  /// Keep at most this many faces (the largest first), nil for all.
  public var maxFaces: Int?
  /// Faces given by the caller (image pixels); when set, detection is skipped.
  public var boxes: [PixelBox]?
  /// The face detector, nil for the service's default.
  public var detector: FaceDetectorKind?

  public init(
    model: String, detect: Bool = true, maxFaces: Int? = nil, boxes: [PixelBox]? = nil,
    detector: FaceDetectorKind? = nil
  ) {
    self.model = model
    self.detector = detector
    self.detect = detect
    self.maxFaces = maxFaces
    self.boxes = boxes
  }
}

/// Why an image could not be analysed; each case maps to one HTTP status.
public enum AnalyzerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The bytes are not an image of a supported format, or are corrupt (415).
  case notAnImage(String)
  /// The image decodes but is too large to process, e.g. 100000×100000 pixels (413).
  case tooLarge(String)
  /// The image decodes but cannot be analysed, e.g. smaller than a face or a box outside it (422).
  case unusable(String)
  /// The requested model is not one of `EmotionAnalyzer.models` (400).
  case unknownModel(String)
  /// Too many analyses already wait; the client should retry shortly (503, `Retry-After`).
  case overloaded(String)

  public var description: String {
    switch self {
    case .notAnImage(let m), .tooLarge(let m), .unusable(let m), .unknownModel(let m),
      .overloaded(let m):
      m
    }
  }
}
