import Datasets
import Foundation
import Logging
import Pipeline
import Vision

/// The real analyzer: Learning's `EmotionPipeline` (decode with EXIF orientation → grey → find
/// faces → crop → classify), one pipeline per model name, as `emocl predict` runs it. Pipeline
/// failures are mapped to HTTP statuses by the analyze routes (`EmoclService.problem(for:)`).
public struct PipelineAnalyzer: EmotionAnalyzer {
  /// The model names `emocl serve` looks for, as `NAME.safetensors` in its models folder, most
  /// accurate first (the order picks the default when `preferredDefault` is absent).
  public static let modelNames = ["cnn", "svm", "logreg"]
  /// The model used when `?model=` is absent, if it is loaded.
  public static let preferredDefault = "cnn"

  public let models: [ModelInfo]
  let pipelines: [String: EmotionPipeline]
  /// Where the pipelines run: decoding and detection block, and so does waiting for a batch.
  let threads: AnalysisThreads

  /// An analyzer over ready pipelines; `models[i].name` selects `pipelines[i]`. Analyses run on
  /// `threads` threads of their own (default: 32, so that up to 32 concurrent requests wait
  /// for the classifier together and are classified as one batch; they block, not spin).
  public init(
    _ entries: [(info: ModelInfo, pipeline: EmotionPipeline)], threads: Int = 32,
    maxQueued: Int = 256
  ) {
    models = entries.map(\.info)
    pipelines = Dictionary(
      entries.map { ($0.info.name, $0.pipeline) }, uniquingKeysWith: { a, _ in a })
    self.threads = AnalysisThreads(count: threads, maxQueued: maxQueued)
  }

  /// Loads each of `names` found as `NAME.safetensors` in `modelsDirectory`, with its card.
  /// A file that cannot be used (unreadable, a kind without a classifier, an SVM without
  /// probability calibration) is logged and left out. `preferredDefault` is the default model
  /// when loaded, else the first loaded in the order of `names`. `cnn` says how the CNN
  /// runs (its flip; 8 bits or floats).
  /// - Throws: `ModelsLoadError` when no model could be loaded, naming what was tried and why.
  public static func load(
    modelsDirectory: URL, names: [String] = modelNames, faceLocator: (any FaceLocating)?,
    faceLocators: [FaceDetectorKind: any FaceLocating] = [:], cnn: CNNOptions = CNNOptions(),
    maxQueued: Int = 256, logger: Logger
  ) throws(ModelsLoadError) -> PipelineAnalyzer {
    var loaded: [(name: String, card: ModelCard, int8: Bool, pipeline: EmotionPipeline)] = []
    var problems: [String] = []
    for name in names {
      let url = modelsDirectory.appendingPathComponent("\(name).\(ModelLocator.fileExtension)")
      guard FileManager.default.fileExists(atPath: url.path) else {
        problems.append("\(url.path): no such file")
        continue
      }
      do {
        let file = try ModelFile.read(from: url)
        let classifier = try file.emotionClassifier(name: name, cnn: cnn)
        if let classical = classifier as? ClassicalClassifier, !classical.hasProbabilities {
          throw ModelsLoadError(
            "an SVM trained without probability calibration (the service needs probabilities)")
        }
        // Faces from concurrent requests are classified together (see BatchingClassifier).
        let batching = BatchingClassifier(classifier)
        let int8 = (classifier as? CNNEmotionClassifier)?.model.int8Network != nil
        loaded.append(
          (
            name, file.card, int8,
            EmotionPipeline(
              classifier: batching, faceLocator: faceLocator, faceLocators: faceLocators)
          ))
        var metadata: Logger.Metadata = ["model": "\(name)", "file": "\(url.path)"]
        if file.card.kind == .cnn { metadata["precision"] = int8 ? "int8" : "float32" }
        logger.info("model loaded", metadata: metadata)
      } catch {
        problems.append("\(url.path): \(error)")
        logger.warning(
          "model not loaded",
          metadata: ["model": "\(name)", "file": "\(url.path)", "error": "\(error)"])
      }
    }
    guard !loaded.isEmpty else {
      throw ModelsLoadError(
        "no model could be loaded from \(modelsDirectory.path) (looked for "
          + names.map { "\($0).\(ModelLocator.fileExtension)" }.joined(separator: ", ") + "): "
          + problems.joined(separator: "; "))
    }
    let defaultName =
      loaded.contains { $0.name == preferredDefault } ? preferredDefault : loaded[0].name
    return PipelineAnalyzer(
      loaded.map { entry in
        (
          ModelInfo(
            name: entry.name, card: entry.card, isDefault: entry.name == defaultName,
            int8: entry.int8),
          entry.pipeline
        )
      }, maxQueued: maxQueued)
  }

  public func analyze(imageBytes: [UInt8], options: AnalyzeOptions) async throws -> AnalysisResult {
    guard let pipeline = pipelines[options.model] else {
      throw AnalyzerError.unknownModel("unknown model '\(options.model)'")
    }
    var pipelineOptions = AnalysisOptions(
      detect: options.detect, detector: options.detector, align: options.align)
    if let maxFaces = options.maxFaces { pipelineOptions.maxFaces = maxFaces }
    if let maxPixels = options.maxPixels {
      pipelineOptions.maxPixels = max(1, min(pipelineOptions.maxPixels, maxPixels))
    }
    if let boxes = options.boxes {
      guard boxes.count <= pipelineOptions.maxFaces else {
        throw AnalyzerError.unusable(
          "\(boxes.count) boxes given but max_faces is \(pipelineOptions.maxFaces)")
      }
      pipelineOptions.boxes = boxes
    }
    let options = pipelineOptions
    let analysis: ImageAnalysis
    do {
      // Weighed by its pixels, read from its header (what decoding would refuse weighs 0).
      let size = try? Image.encodedSize(of: imageBytes)
      let pixels =
        size.map { size -> Int in
          let (product, overflow) = size.width.multipliedReportingOverflow(by: size.height)
          return overflow || product < 0 ? options.maxPixels : min(product, options.maxPixels)
        } ?? 0
      analysis = try await threads.run(pixels: pixels) {
        try pipeline.analyze(encoded: imageBytes, options: options)
      }
    } catch let overloaded as AnalysisThreads.Overloaded {
      throw AnalyzerError.overloaded(overloaded.description)
    }
    let faces = analysis.faces.map { face in
      FaceResult(
        box: face.box,
        emotions: EmotionScores(probabilities: face.emotions.values.map { Double($0) })!,
        detection: face.detection)
    }
    return AnalysisResult(width: analysis.width, height: analysis.height, faces: faces)
  }
}
