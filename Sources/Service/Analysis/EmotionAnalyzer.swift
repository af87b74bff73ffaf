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
