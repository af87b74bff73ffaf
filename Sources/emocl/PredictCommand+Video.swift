import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Reporting
import Vision

extension Predict {
  /// `emocl predict VIDEO`: the `VideoAnalysis` as JSON or CSV on standard output, and with
  /// `--annotate OUT` the video with each tracked face's box and label drawn.
  func runVideo(_ path: String) throws {
    guard !noDetect, boxes == nil else {
      throw ValidationError("--no-detect and --boxes are for photos; a video's faces are detected")
    }
    guard format != .text else {
      throw ValidationError("--format text is for photos; use json or csv")
    }
    let sampling = fps.flatMap(VideoSampling.init(parsing:)) ?? .standard
    let classifier = try ModelFile.emotionClassifier(
      model, locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }),
      cnn: CNNOptions(int8: !floatCNN))
    if let classical = classifier as? ClassicalClassifier, !classical.hasProbabilities {
      throw ValidationError(
        "model '\(classical.name)' is an SVM trained without probability calibration; "
          + "predict needs probabilities")
    }
    Self.configureBLAS(classifier: classifier, detector: detector)
    let analyzer = VideoAnalyzer(
      pipeline: EmotionPipeline(
        classifier: classifier,
        faceLocator: try Self.faceLocator(
          detector, locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }),
          quantizedPNet: int8PNet, quantizedRefinement: int8Refine)
      ),
      options: VideoAnalysisOptions(margin: margin, maxFaces: maxFaces))
    let name = (path as NSString).lastPathComponent
    let analysis: VideoAnalysis
    do {
      if let annotate {
        analysis = try annotateVideo(path, name: name, to: annotate, analyzer, sampling)
      } else {
        analysis = try analyzer.analyzeVideo(
          atPath: path, name: name, sampling: sampling, progress: { _ in true })
      }
    } catch let error as VideoError {
      throw Self.failure("\(path): \(error)")
    } catch let error as AnalysisError {
      throw Self.failure("\(path): \(error)")
    }
    // The result first: a timeline folder that cannot be written must not lose it.
    switch format {
    case .csv: print(analysis.csv(), terminator: "")
    default: print(try Self.json(analysis))
    }
    if let timeline {
      do {
        try Self.writeTimelines(analysis, to: timeline)
      } catch {
        throw Self.failure("--timeline \(timeline): \(FileErrorReason.describe(error))")
      }
    }
  }

  /// Analyses the video and writes every frame with the latest analysed faces drawn to `out`.
  private func annotateVideo(
    _ path: String, name: String, to out: String, _ analyzer: VideoAnalyzer,
    _ sampling: VideoSampling
  ) throws -> VideoAnalysis {
    var font: Font?
    do {
      font = try Font.dejaVuSans()
    } catch {
      Self.warn("\(error); annotations will have boxes without labels")
    }
    let info = try VideoReader(path: path, limits: analyzer.options.limits).info
    let writer = try VideoWriter(path: out, width: info.width, height: info.height, fps: info.fps)
    let analysis = try analyzer.analyzeVideo(
      atPath: path, name: name, sampling: sampling, progress: { _ in true },
      eachFrame: { frame, faces in
        let drawn = ImageAnalysis(
          width: frame.image.width, height: frame.image.height,
          faces: faces.map { FaceEmotions(box: $0.box, emotions: $0.emotions) }, mode: .detected)
        try writer.write(try drawn.annotated(frame.image, font: font), time: frame.time)
      })
    try writer.finish()
    return analysis
  }

  /// `timeline-all.svg`/`.png` and `timeline-track-N.svg`/`.png` for each track, in `directory`
  /// (created when missing). A video without faces gets no files and a warning.
  static func writeTimelines(_ analysis: VideoAnalysis, to directory: String) throws {
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    guard !analysis.tracks.isEmpty else {
      warn("no face was seen; no timeline written")
      return
    }
    let timelines =
      [("all", VideoTimeline(analysis))]
      + analysis.tracks.map { ("track-\($0.id)", VideoTimeline(analysis, track: $0.id)) }
    for (suffix, timeline) in timelines {
      let base = URL(fileURLWithPath: directory).appendingPathComponent("timeline-\(suffix)")
      try Data(timeline.svg().utf8).write(to: base.appendingPathExtension("svg"))
      try Data(timeline.png()).write(to: base.appendingPathExtension("png"))
    }
  }

  /// The analysis as one JSON object, keys sorted.
  static func json(_ analysis: VideoAnalysis) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]  // stable output
    return String(decoding: try encoder.encode(analysis), as: UTF8.self)
  }

  /// Prints `message` as an error and gives the exit status to throw.
  static func failure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("emocl: error: \(message)\n".utf8))
    return ExitCode(1)
  }
}
