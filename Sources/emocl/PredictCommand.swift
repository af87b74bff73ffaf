import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Tensor
import Vision

/// `emocl predict IMAGE...`: emotions per face for each photo, as JSON or text tables;
/// `emocl predict VIDEO`: emotions per tracked face over time, as JSON or CSV
/// (`PredictCommand+Video.swift`).
struct Predict: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract:
      "Find the faces in photos or a video and estimate each face's emotion probabilities.",
    discussion: """
      Each image is decoded (JPEG, PNG, WebP; EXIF orientation applied), its faces are \
      detected, cropped with a margin (--margin) and classified. A nearly square image of at most 96 \
      px (or at most 256 px without a detected face) is taken to be a face crop and classified \
      whole. Faces are listed largest first. An image that fails gives an error entry and the \
      others are still processed; the exit status is 1 when any image failed.

      A video (MP4, MOV, MKV, WebM, AVI; H.264, HEVC, VP8, VP9, AV1; told apart from photos by \
      its first bytes or its extension) is analysed frame by frame: --fps frames per second of \
      video (default \(VideoSampling.standard), or `all`), faces detected about every 0.2 s and \
      tracked in between, each track keeping its id while it stays in view, probabilities \
      smoothed over 0.3 s. JSON gives {video, width, height, fps, duration, model, frames: \
      [{time, faces: [{track, box, dominant, emotions}]}], tracks: [{id, first, last, frames, \
      emotions}]}, times in seconds; CSV one row per face per analysed frame. --annotate OUT.mp4 \
      writes the video with boxes and labels.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, text, csv
  }

  @Argument(help: "Image files (JPEG, PNG or WebP), or one video file.")
  var images: [String]

  @Option(
    help: "Model name (looked up in --models, $EMOCL_MODELS, the repository's Models/) or path.")
  var model: String = "cnn"

  @Option(help: "Directory searched first for model names.")
  var models: String?

  @Option(
    help: ArgumentHelp(
      "Face detector: cnn (MTCNN, Models/mtcnn.safetensors) or haar (OpenCV's cascades).",
      valueName: "cnn|haar"))
  var detector: FaceDetectorKind = .standard

  @Flag(
    inversion: .prefixedNo,
    help: """
      Level faces whose eyes are tilted more than 19° (cnn detector): the face's square is cut \
      out turned so the eyes are level (default on).
      """)
  var align = true

  @Flag(name: .customLong("int8-pnet"), help: Predict.int8PNetHelp) var int8PNet = false
  @Flag(name: .customLong("float-cnn"), help: Predict.floatCNNHelp) var floatCNN = false
  @Flag(name: .customLong("int8-refine"), help: Predict.int8RefineHelp) var int8Refine = false
  @Flag(name: .customLong("no-detect"), help: "Classify each whole image as one face.")
  var noDetect = false

  @Option(help: "Classify at most this many faces per image, the largest.")
  var maxFaces: Int = 32

  @Option(
    help: ArgumentHelp(
      "Face boxes instead of detection, as JSON [[x, y, width, height], ...] (applied to every image).",
      valueName: "json"))
  var boxes: String?

  @Option(
    help: ArgumentHelp(
      "Context added on each side of a face before cropping, as a fraction of its side.",
      valueName: "fraction"))
  var margin: Double = AnalysisOptions().margin

  @Option(help: "Output format (text for photos only, csv for a video only).")
  var format: Format = .json

  @Option(
    help: ArgumentHelp(
      "Write each photo with boxes and labels drawn as PNG into this directory; for a video, "
        + "the annotated video to this file (e.g. out.mp4).",
      valueName: "path"))
  var annotate: String?

  // Unconditional: `--fps -1` is a bad value to explain, not a missing one.
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Video only: frames analysed per second of video, or `all` for every frame "
        + "(default: \(VideoSampling.standard)).",
      valueName: "N|all"))
  var fps: String?

  @Option(
    help: ArgumentHelp(
      "Video only: write emotion timelines (SVG line chart and PNG strip) for all faces and for "
        + "each track into this directory.",
      valueName: "dir"))
  var timeline: String?

  func validate() throws {
    guard (1...AnalysisOptions.maxFacesLimit).contains(maxFaces) else {
      throw ValidationError("--max-faces must be between 1 and \(AnalysisOptions.maxFacesLimit)")
    }
    guard margin.isFinite, (0...1).contains(margin) else {
      throw ValidationError("--margin must be between 0 and 1")
    }
    if let boxes { _ = try Self.parseBoxes(boxes) }
    if let fps, VideoSampling(parsing: fps) == nil {
      throw ValidationError("--fps must be `all` or a number of frames per second in (0, 1000]")
    }
  }

  func run() throws {
    if images.contains(where: { VideoFile.isVideo(path: $0) }) {
      guard images.count == 1 else {
        throw ValidationError("give one video at a time (without photos)")
      }
      return try runVideo(images[0])
    }
    if format == .csv { throw ValidationError("--format csv is for a video; use json or text") }
    if fps != nil || timeline != nil {
      throw ValidationError("--fps and --timeline are for a video")
    }
    let classifier = try ModelFile.emotionClassifier(
      model, locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }),
      cnn: CNNOptions(int8: !floatCNN))
    if let classical = classifier as? ClassicalClassifier, !classical.hasProbabilities {
      throw ValidationError(
        "model '\(classical.name)' is an SVM trained without probability calibration; "
          + "predict needs probabilities")
    }
    // The cascades are only read when some image may need detection.
    let needsDetector = !noDetect && boxes == nil
    Self.configureBLAS(
      classifier: classifier, detector: needsDetector ? detector : nil)
    let pipeline = EmotionPipeline(
      classifier: classifier,
      faceLocator: needsDetector
        ? try Self.faceLocator(
          detector, locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }),
          threads: ProcessInfo.processInfo.activeProcessorCount, quantizedPNet: int8PNet,
          quantizedRefinement: int8Refine)
        : nil)
    var options = AnalysisOptions(
      detect: !noDetect, maxFaces: maxFaces, margin: margin, align: align)
    options.boxes = try boxes.map(Self.parseBoxes)
    var font: Font?
    if annotate != nil {
      do {
        font = try Font.dejaVuSans()
      } catch {
        Self.warn("\(error); annotations will have boxes without labels")
      }
    }
    let predictor = BatchPredictor(
      pipeline: pipeline, options: options,
      annotationDirectory: annotate.map { URL(fileURLWithPath: $0) }, font: font)
    let records = predictor.run(images)
    switch format {
    case .json: print(BatchPredictor.json(records))
    case .text: print(BatchPredictor.text(records), terminator: "")
    case .csv: break  // refused above
    }
    if records.contains(where: \.failed) { throw ExitCode(1) }
  }

  /// OpenBLAS single-threaded when a CNN runs (the emotion CNN or MTCNN): their replicas and
  /// P-Net bands are the workers, and more BLAS threads on top oversubscribe the cores. A
  /// classical model with the Haar detector keeps OpenBLAS's own thread count.
  static func configureBLAS(classifier: any EmotionClassifier, detector: FaceDetectorKind?) {
    if classifier is CNNEmotionClassifier || detector == .cnn {
      ThreadPolicy(blasThreads: 1).configureProcess()
    }
  }

  /// The help of `predict`'s and `serve`'s `--int8-refine`.
  static let int8RefineHelp = ArgumentHelp(
    """
    Run the CNN face detector's R- and O-Net in 8 bits on CPUs with AVX-512 VNNI (about a fifth \
    faster detection; slightly different borderline decisions: one face fewer on the shared \
    group selfie; README "The detector in 8 bits"); elsewhere ignored.
    """)

  /// The help of `predict`'s and `serve`'s `--int8-pnet`.
  static let int8PNetHelp = ArgumentHelp(
    """
    Run MTCNN's P-Net half in 8 bits on CPUs with AVX-512 VNNI (about a tenth faster \
    detection, slightly fewer faces found; README "The detector in 8 bits"); elsewhere ignored.
    """)

  /// The help of `predict`'s, `evaluate`'s and `serve`'s `--float-cnn`.
  static let floatCNNHelp = ArgumentHelp(
    """
    Run the emotion CNN in 32-bit floats. By default it runs in 8 bits where it can (its card \
    has int8 ranges and the CPU AVX-512 VNNI): about three times faster, val accuracy within \
    0.3 points (README "The CNN in 8 bits").
    """)

  /// The `kind` detector: MTCNN from the models (`mtcnn.safetensors`, found like the emotion
  /// models), or OpenCV's face and eye cascades (Debian package opencv-data) with their
  /// precision-oriented default options. MTCNN shares one detection among `threads` threads
  /// (photos: one per core; concurrent calls then find the cores taken and run on fewer);
  /// `quantizedPNet` runs its P-Net half in 8 bits where the CPU can, and `quantizedRefinement`
  /// its R- and O-Net.
  static func faceLocator(
    _ kind: FaceDetectorKind, locator: ModelLocator = ModelLocator(), threads: Int = 1,
    quantizedPNet: Bool = false, quantizedRefinement: Bool = false
  ) throws -> any FaceLocating {
    switch kind {
    case .cnn:
      try MTCNNDetector.standard(
        locator: locator, threads: threads, quantizedPNet: quantizedPNet,
        quantizedRefinement: quantizedRefinement)
    case .haar: try HaarFaceLocator.standard()
    }
  }

  /// `[[x, y, width, height], ...]` as boxes; sizes and positions are checked per image later.
  static func parseBoxes(_ json: String) throws -> [PixelBox] {
    guard let rows = try? JSONDecoder().decode([[Int]].self, from: Data(json.utf8)),
      rows.allSatisfy({ $0.count == 4 })
    else {
      throw ValidationError(
        "--boxes must be a JSON array of [x, y, width, height] integer arrays, e.g. [[10, 20, 96, 96]]"
      )
    }
    return rows.map { PixelBox(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) }
  }

  static func warn(_ message: String) {
    FileHandle.standardError.write(Data("emocl: warning: \(message)\n".utf8))
  }
}

extension FaceDetectorKind: ExpressibleByArgument {}
