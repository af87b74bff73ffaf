import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Vision

/// `emocl-bench video`: `VideoAnalyzer` over a video file, as `emocl predict VIDEO` runs it
/// (decode, face detection every k analysed frames — MTCNN by default, as in the product, or
/// Haar — tracking, the emotion model on every tracked face, smoothing). Prints one tab-separated line: analysed frames per second of wall time (best of
/// `--repeats`), frames, seconds, the real-time factor and the peak resident memory.
extension FaceDetectorKind: ExpressibleByArgument {}

struct BenchVideo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "video", abstract: "Analyse a video; print analysed frames per second.")

  @Argument(help: "Video file.")
  var video: String

  @Option(help: "Model name or path.")
  var model = "cnn"

  @Option(help: "Directory searched first for model names.")
  var models: String?

  @Option(help: "Frames analysed per second of video, or `all`.")
  var fps = "all"

  @Option(help: "Repeats; the best is printed.")
  var repeats = 3

  @Option(help: "Detect every k analysed frames (default: about every 0.2 s of video).")
  var detectEvery: Int?

  @Option(help: "Face detector: cnn (MTCNN, the product's default) or haar.")
  var detector: FaceDetectorKind = .standard

  func run() throws {
    guard let sampling = VideoSampling(parsing: fps) else {
      throw ValidationError("--fps must be `all` or a rate")
    }
    let classifier = try ModelFile.emotionClassifier(
      model, locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }))
    let locator: any FaceLocating =
      switch detector {
      case .cnn:
        try MTCNNDetector.standard(
          locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }))
      case .haar: try HaarFaceLocator.standard()
      }
    let analyzer = VideoAnalyzer(
      pipeline: EmotionPipeline(classifier: classifier, faceLocator: locator),
      options: VideoAnalysisOptions(detectEvery: detectEvery))
    var best = Double.infinity
    var analysis: VideoAnalysis?
    for _ in 0..<max(1, repeats) {
      let start = ContinuousClock.now
      analysis = try analyzer.analyzeVideo(
        atPath: video, name: video, sampling: sampling, progress: { _ in true })
      best = min(best, seconds(ContinuousClock.now - start))
    }
    guard let analysis else { return }
    let frames = analysis.frames.count
    let faces = analysis.frames.reduce(0) { $0 + $1.faces.count }
    FileHandle.standardError.write(
      Data("\(frames) frames, \(faces) faces, \(analysis.tracks.count) tracks\n".utf8))
    print(
      String(
        format: "frames/s\t%.1f\tframes\t%d\tseconds\t%.3f\trealtime\t%.2f\tpeak_mib\t%.0f",
        Double(frames) / best, frames, best, analysis.duration / best, peakResidentMegabytes()))
  }
}
