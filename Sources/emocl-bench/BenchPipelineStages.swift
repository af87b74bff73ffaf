import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Vision

/// `emocl-bench pipeline-stages`: the time of each stage of `emocl predict`'s pipeline on one
/// photo with the default settings — decode (EXIF applied; RGB for a detector that prefers
/// colour, as MTCNN does, else grey), detect (`--detector`, by default `emocl predict`'s), crop +
/// resize + classify — and of the whole pipeline from encoded bytes, each the median of
/// `--repeats` runs after a warm-up. Prints one `name<TAB>milliseconds` line per stage, then the
/// face count. MTCNN runs on one thread, as each of a server's concurrent detections does.
struct BenchPipelineStages: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline-stages",
    abstract: "Time decode, detect and classify of the photo → emotions pipeline."
  )

  @Option(help: "The photo (JPEG, PNG or WebP).") var image: String
  @Option(help: "Model name or path.") var model: String = "cnn"
  @Option(help: "Directory searched first for model names.") var models: String?
  @Option(help: "Timed runs (the median is printed).") var repeats: Int = 9
  @Option(help: "Face detector: cnn (MTCNN) or haar.")
  var detector: String = FaceDetectorKind.standard.rawValue

  func validate() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    guard FaceDetectorKind(rawValue: detector) != nil else {
      throw ValidationError("--detector must be one of \(FaceDetectorKind.names)")
    }
  }

  func run() throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: image)))
    let modelLocator = ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) })
    let classifier = try ModelFile.emotionClassifier(model, locator: modelLocator)
    let locator: any FaceLocating =
      FaceDetectorKind(rawValue: detector) == .cnn
      ? try MTCNNDetector.standard(locator: modelLocator) : try HaarFaceLocator.standard()
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: locator)
    let decoding = DecodeOptions(
      colour: locator.prefersColour ? .rgb : .grey, appliesOrientation: true)

    let decoded = try Image(decoding: bytes, options: decoding)
    let boxes = try locator.faceBoxes(in: decoded)
    let grey = decoded.grey()
    let classifyOptions = AnalysisOptions(boxes: boxes)
    var faces = 0
    let stages: [(String, () throws -> Void)] = [
      ("decode_ms", { _ = try Image(decoding: bytes, options: decoding) }),
      ("detect_ms", { _ = try locator.faceBoxes(in: decoded) }),
      ("classify_ms", { _ = try pipeline.analyze(grey, options: classifyOptions) }),
      ("end_to_end_ms", { faces = try pipeline.analyze(encoded: bytes).faces.count }),
    ]
    print("image\t\(grey.width)x\(grey.height)\t\(image)")
    print("detector\t\(detector)")
    print("model\t\(classifier.name)")
    for (name, stage) in stages {
      try stage()  // warm-up: caches, lazily built cascade tables, model buffers
      var times: [Double] = []
      for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try stage()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
      }
      times.sort()
      print(String(format: "%@\t%.2f", name, times[times.count / 2]))
    }
    print("faces\t\(faces)")
  }
}
