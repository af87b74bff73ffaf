import Foundation
import Learning
import Logging

/// The real analyzer: Learning's `EmotionPipeline` (decode with EXIF orientation → grey → find
/// faces → crop → classify), one pipeline per model name. Pipeline failures are mapped to HTTP
/// statuses by the analyze routes (`EmoclService.problem(for:)`).
public struct PipelineAnalyzer: EmotionAnalyzer {
  public let models: [ModelInfo]
  let pipelines: [String: EmotionPipeline]

  /// An analyzer over ready pipelines; `models[i].name` selects `pipelines[i]`.
  public init(_ entries: [(info: ModelInfo, pipeline: EmotionPipeline)]) {
    models = entries.map(\.info)
    pipelines = Dictionary(entries.map { ($0.info.name, $0.pipeline) }, uniquingKeysWith: { a, _ in a })
  }

  /// Loads each of `names` that `ModelLocator` finds under `modelsDirectory` (or `EMOCL_MODELS`,
  /// or the repository's models); a model that cannot be loaded is logged and left out. The
  /// first loaded model is the default.
  public static func load(
    names: [String] = ["cnn", "svm", "logreg"], modelsDirectory: String,
    faceLocator: (any FaceLocating)?, logger: Logger
  ) -> PipelineAnalyzer {
    let locator = ModelLocator(modelsDirectory: URL(fileURLWithPath: modelsDirectory))
    var entries: [(info: ModelInfo, pipeline: EmotionPipeline)] = []
    for name in names {
      do {
        let classifier = try ModelFile.emotionClassifier(name, locator: locator)
        let info = ModelInfo(name: name, description: "\(name) model", isDefault: entries.isEmpty)
        entries.append((info, EmotionPipeline(classifier: classifier, faceLocator: faceLocator)))
        logger.info("model loaded", metadata: ["model": "\(name)"])
      } catch {
        logger.warning("model not loaded", metadata: ["model": "\(name)", "error": "\(error)"])
      }
    }
    return PipelineAnalyzer(entries)
  }

  public func analyze(imageBytes: [UInt8], options: AnalyzeOptions) async throws -> AnalysisResult {
    guard let pipeline = pipelines[options.model] else {
      throw AnalyzerError.unknownModel("unknown model '\(options.model)'")
    }
    var pipelineOptions = AnalysisOptions(detect: options.detect)
    if let boxes = options.boxes {
      pipelineOptions.boxes = boxes.map { PixelBox(x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
      pipelineOptions.maxFaces = max(pipelineOptions.maxFaces, boxes.count)
    }
    if let maxFaces = options.maxFaces { pipelineOptions.maxFaces = maxFaces }
    let analysis = try pipeline.analyze(encoded: imageBytes, options: pipelineOptions)
    let faces = analysis.faces.prefix(options.maxFaces ?? Int.max).map { face in
      var result = FaceResult(
        box: FaceBox(x: face.box.x, y: face.box.y, width: face.box.width, height: face.box.height),
        emotions: EmotionScores(probabilities: face.emotions.values.map { Double($0) })!)
      result.dominant = face.dominant
      return result
    }
    return AnalysisResult(width: analysis.width, height: analysis.height, faces: Array(faces))
  }
}
