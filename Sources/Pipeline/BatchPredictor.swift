import Foundation
import Vision

/// Runs `EmotionPipeline` over a list of image files, as `emocl predict` does: every image is
/// processed even when others fail, and each gets a `PredictionRecord`; optionally writes each
/// analysed photo with its boxes and labels drawn as PNG.
public struct BatchPredictor: Sendable {
  /// The pipeline.
  public var pipeline: EmotionPipeline
  /// Options applied to every image.
  public var options: AnalysisOptions
  /// Where annotated PNGs go (created when missing); nil writes none.
  public var annotationDirectory: URL?
  /// The font for labels; nil draws boxes only.
  public var font: Font?

  /// A predictor; no annotations unless `annotationDirectory` is set.
  public init(
    pipeline: EmotionPipeline, options: AnalysisOptions = .init(),
    annotationDirectory: URL? = nil, font: Font? = nil
  ) {
    self.pipeline = pipeline
    self.options = options
    self.annotationDirectory = annotationDirectory
    self.font = font
  }

  /// One record per path, in order. A failure to write an annotation turns that image's record
  /// into an `annotation_failed` error.
  public func run(_ paths: [String]) -> [PredictionRecord] {
    var usedNames = Set<String>()
    return paths.map { path in
      let analysis: ImageAnalysis
      do throws(AnalysisError) {
        analysis = try pipeline.analyze(contentsOfFile: path, options: options)
      } catch {
        return PredictionRecord(image: path, error: error)
      }
      if let directory = annotationDirectory {
        let name = Self.annotationFileName(for: path, avoiding: &usedNames)
        do {
          try annotate(path, analysis, to: directory.appendingPathComponent(name))
        } catch {
          return PredictionRecord(
            image: path,
            outcome: .failure(
              PredictionFailure(
                type: "annotation_failed",
                message: "cannot write \(directory.path): \(FileErrorReason.describe(error))")))
        }
      }
      return PredictionRecord(image: path, outcome: .analysis(analysis))
    }
  }

  /// The records as a JSON array (see `PredictionRecord.jsonArray`).
  public static func json(_ records: [PredictionRecord]) -> String {
    PredictionRecord.jsonArray(records)
  }

  /// The records as text tables, one per image, separated by blank lines.
  public static func text(_ records: [PredictionRecord]) -> String {
    records.map(\.textTable).joined(separator: "\n")
  }

  /// Draws `analysis` on the photo at `path` (decoded again in colour, EXIF orientation applied)
  /// and writes it as PNG to `url`.
  func annotate(_ path: String, _ analysis: ImageAnalysis, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let photo = try Image(
      contentsOfFile: path,
      options: DecodeOptions(colour: .rgb, maxPixels: options.maxPixels, appliesOrientation: true))
    try analysis.annotated(photo, font: font).writePNG(toFile: url.path)
  }

  /// `NAME.png` for `path`'s file name without extension, with `-2`, `-3`, … appended when an
  /// earlier image of the run already used the name.
  static func annotationFileName(for path: String, avoiding used: inout Set<String>) -> String {
    var stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    if stem.isEmpty || stem == "/" { stem = "image" }
    var name = "\(stem).png"
    var n = 2
    while used.contains(name) {
      name = "\(stem)-\(n).png"
      n += 1
    }
    used.insert(name)
    return name
  }
}
