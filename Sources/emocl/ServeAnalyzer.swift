import Logging
import Service

/// The analyzer `emocl serve` runs: the place where the model pipeline (decode → detect faces →
/// crop to 48×48 grey → classify) is plugged into the service.
///
/// Until the pipeline is wired here, the server starts without models: `/readyz` answers 503
/// "no models loaded from DIR" and `POST /api/v1/analyze` answers 422 `no-models`.
func makeServeAnalyzer(modelsDirectory: String, logger: Logger) throws -> any EmotionAnalyzer {
  logger.warning("no model pipeline wired yet", metadata: ["models": "\(modelsDirectory)"])
  return NoModels()
}

/// An analyzer with no models (see `makeServeAnalyzer`).
private struct NoModels: EmotionAnalyzer {
  var models: [ModelInfo] { [] }
  func analyze(imageBytes: [UInt8], options: AnalyzeOptions) async throws -> AnalysisResult {
    throw AnalysisError.unknownModel("no models are loaded")
  }
}
