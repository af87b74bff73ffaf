import Pipeline

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
  /// Whether faces tilted beyond `FaceAligner.levelBeyondDegrees` are levelled (CNN detector).
  public var align: Bool
  /// Refuse an image of more pixels than this (read from its header, before decoding), below
  /// the analyzer's own limit; nil: the analyzer's limit only.
  public var maxPixels: Int?

  public init(
    model: String, detect: Bool = true, maxFaces: Int? = nil, boxes: [PixelBox]? = nil,
    detector: FaceDetectorKind? = nil, maxPixels: Int? = nil, align: Bool = true
  ) {
    self.align = align
    self.model = model
    self.maxPixels = maxPixels
    self.detector = detector
    self.detect = detect
    self.maxFaces = maxFaces
    self.boxes = boxes
  }
}
