import Logging
import Service

/// The analyzer `emocl serve` runs: the place where the model pipeline (decode → detect faces →
/// crop to 48×48 grey → classify) is plugged into the service.
///
/// Models that cannot be found are left out; with none, the server still starts: `/readyz`
/// answers 503 "no models loaded from DIR" and `POST /api/v1/analyze` answers 422 `no-models`.
/// The face detector is not wired yet (`PredictCommand.faceLocator()` is nil), so detection
/// falls back as the pipeline decides; whole-image and `boxes=` work.
func makeServeAnalyzer(modelsDirectory: String, logger: Logger) throws -> any EmotionAnalyzer {
  PipelineAnalyzer.load(
    modelsDirectory: modelsDirectory, faceLocator: try Predict.faceLocator(), logger: logger)
}
