import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Tensor
import Vision

/// `emocl-bench pipeline-scenes`: how much accuracy the whole pipeline (detect → margin crop →
/// resize → classify) keeps on faces it has not seen cropped. Each FER2013 validation face is
/// enlarged to 120–200 px and pasted at a random place into a generated 640×480 scene (plain,
/// noisy or smooth-blotchy background); the pipeline's answer for the detected box best
/// overlapping the pasted face is compared with classifying the 48×48 crop directly.
struct BenchPipelineScenes: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline-scenes",
    abstract: "Pipeline accuracy on FER faces pasted into generated scenes vs. on the crops."
  )

  @Option(help: "FER2013 validation folder (<class>/<image>.jpg).")
  var data: String = "../shared/datasets/fer2013/val"

  @Option(help: "Model name or path.")
  var model: String = "cnn"

  @Option(help: "Directory searched first for model names.")
  var models: String?

  @Option(help: "Use this many faces (a seeded random sample over all classes); 0 for all.")
  var limit: Int = 1000

  @Option(help: "Seed of the sample and the scenes.")
  var seed: UInt64 = 1

  @Option(help: "Crop margin per side, as a fraction of the face box (default: the pipeline's).")
  var margin: Double?

  @Flag(help: "Detect without the eye check of the default detection options (haar only).")
  var noEyeCheck = false

  @Option(help: "Rotate each pasted face by a random angle within ± this many degrees.")
  var rotate: Double = 0

  @Flag(
    inversion: .prefixedNo,
    help: "Level faces tilted beyond FaceAligner.levelBeyondDegrees (cnn detector; the default).")
  var align = true

  @Option(help: "Face detector: cnn (MTCNN) or haar.")
  var detector: String = FaceDetectorKind.standard.rawValue

  @Option(help: "Write the first N scenes, annotated, as PNG into --scenes-dir.")
  var saveScenes: Int = 0

  @Option(help: "Directory for --save-scenes.")
  var scenesDir: String = "scenes"

  /// A detection counts as the pasted face from this intersection over union.
  static let matchThreshold = 0.3

  func validate() throws {
    guard limit >= 0 else { throw ValidationError("--limit must be >= 0") }
    guard FaceDetectorKind(rawValue: detector) != nil else {
      throw ValidationError("--detector must be one of \(FaceDetectorKind.names)")
    }
  }

  func run() throws {
    let classifier = try ModelFile.emotionClassifier(
      model, locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }))
    var haar = try HaarFaceLocator.standard()
    if noEyeCheck { haar.options.requireEye = false }
    let locator: any FaceLocating =
      FaceDetectorKind(rawValue: detector) == .cnn
      ? try MTCNNDetector.standard(
        locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }))
      : haar
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: locator)
    var options = AnalysisOptions(align: align)
    if let margin { options.margin = margin }
    let dataset = try LabeledImages.load(directory: URL(fileURLWithPath: data))
    var random = SplitMix64(seed: seed)
    let indices = sample(dataset.count, random: &random)
    let crops = DetectorScene.crops(of: dataset, indices: indices)
    let labels = indices.map { dataset.labels[$0] }
    let clock = ContinuousClock()

    // Direct: the crops resized to the model's input, in batches.
    let directStart = clock.now
    let direct = try Self.classify(crops, with: classifier)
    let directSeconds = seconds(clock.now - directStart)

    // Scenes through the pipeline.
    var tally = SceneTally()
    let sceneStart = clock.now
    for (n, crop) in crops.enumerated() {
      let kind = n % 3
      let (scene, pasted) = try Self.scene(
        with: crop, kind: kind, rotate: rotate, random: &random)
      let analysis = try pipeline.analyze(scene, options: options)
      tally.record(analysis, pasted: pasted, kind: kind)
      if n < saveScenes {
        try saveScene(
          scene, analysis: analysis, pasted: pasted,
          name: "scene-\(n)-\(Emotion.allCases[labels[n]])")
      }
    }
    let sceneSeconds = seconds(clock.now - sceneStart)

    print("model\t\(classifier.name)")
    print("margin\t\(options.margin)")
    print("detector\t\(detector)")
    print("rotate\t±\(rotate)°")
    print("align\t\(align)")
    print("eye_check\t\(detector == "haar" && haar.options.requireEye)")
    printResults(tally, direct: direct, labels: labels)
    let total = crops.count
    print(String(format: "crops_ms_per_face\t%.3f", 1000 * directSeconds / Double(max(total, 1))))
    print(String(format: "scene_ms_per_image\t%.1f", 1000 * sceneSeconds / Double(max(total, 1))))
  }

  /// A seeded random order of `count` indices, cut to `limit` when it is positive.
  func sample(_ count: Int, random: inout SplitMix64) -> [Int] {
    var indices = Array(0..<count)
    for i in indices.indices.reversed() where i > 0 {
      indices.swapAt(i, Int(random.next() % UInt64(i + 1)))
    }
    if limit > 0 { indices = Array(indices.prefix(limit)) }
    return indices
  }

  /// The dominant class of each crop, resized to the model's input and classified in batches.
  static func classify(_ crops: [Image], with classifier: any EmotionClassifier) throws -> [Int] {
    let size = classifier.inputSize
    var direct: [Int] = []
    for start in stride(from: 0, to: crops.count, by: 256) {
      let batch = try crops[start..<min(start + 256, crops.count)].map {
        try $0.resized(width: size.width, height: size.height)
      }
      direct += try classifier.probabilities(forFaces: batch).map { Self.argmax($0) }
    }
    return direct
  }

  /// The pipeline's answers on the scenes: per scene the dominant class of the detection that
  /// matches the pasted face (nil when none does), and detection counts per background kind.
  struct SceneTally {
    var predictions: [Int?] = []
    var ious: [Double] = []
    /// Detections that are not the pasted face.
    var extraBoxes = 0
    var kinds = [Int](repeating: 0, count: 3)
    var kindDetected = [Int](repeating: 0, count: 3)

    /// Adds one scene of background `kind` whose face was pasted at `pasted`.
    mutating func record(_ analysis: ImageAnalysis, pasted: PixelBox, kind: Int) {
      let best = analysis.faces.enumerated().max {
        $0.element.box.intersectionOverUnion(pasted) < $1.element.box.intersectionOverUnion(pasted)
      }
      let iou = best.map { $0.element.box.intersectionOverUnion(pasted) } ?? 0
      kinds[kind] += 1
      if let best, iou >= BenchPipelineScenes.matchThreshold {
        predictions.append(best.element.dominant.index)
        ious.append(iou)
        kindDetected[kind] += 1
        extraBoxes += analysis.faces.count - 1
      } else {
        predictions.append(nil)
        extraBoxes += analysis.faces.count
      }
    }
  }

  /// Writes `scene` annotated with the analysis and a white box around the pasted face as
  /// `scenesDir/name.png`.
  func saveScene(_ scene: Image, analysis: ImageAnalysis, pasted: PixelBox, name: String) throws {
    try FileManager.default.createDirectory(
      atPath: scenesDir, withIntermediateDirectories: true)
    var drawn = try analysis.annotated(scene, font: try? Font.dejaVuSans())
    drawn.strokeRectangle(
      x: pasted.x - 3, y: pasted.y - 3, width: pasted.width + 6, height: pasted.height + 6,
      thickness: 1, colour: .white)
    try drawn.writePNG(toFile: "\(scenesDir)/\(name).png")
  }

  /// Prints detection rates, mean IoU and the accuracies of the pipeline and of the crops.
  func printResults(_ tally: SceneTally, direct: [Int], labels: [Int]) {
    let total = labels.count
    let predictions = tally.predictions
    let detected = predictions.indices.filter { predictions[$0] != nil }
    let directCorrect = (0..<total).filter { direct[$0] == labels[$0] }.count
    let pipelineCorrect = detected.filter { predictions[$0] == labels[$0] }.count
    let directOnDetected = detected.filter { direct[$0] == labels[$0] }.count
    let agree = detected.filter { predictions[$0] == direct[$0] }.count
    func percent(_ a: Int, _ b: Int) -> String {
      b == 0 ? "n/a" : String(format: "%.1f%%", 100 * Double(a) / Double(b))
    }
    print("faces\t\(total)\t(FER2013 val sample, seed \(seed))")
    print(
      "detected\t\(detected.count)\t\(percent(detected.count, total))\t(IoU >= \(Self.matchThreshold) with the pasted face)"
    )
    for (k, name) in ["plain", "noise", "blotches"].enumerated() {
      print(
        "detected_\(name)\t\(tally.kindDetected[k])/\(tally.kinds[k])\t\(percent(tally.kindDetected[k], tally.kinds[k]))"
      )
    }
    let ious = tally.ious
    let meanIoU = ious.isEmpty ? 0 : ious.reduce(0, +) / Double(ious.count)
    print(String(format: "mean_iou\t%.3f", meanIoU))
    print("extra_boxes\t\(tally.extraBoxes)\t(detections not matching the pasted face)")
    print("accuracy_crops\t\(percent(directCorrect, total))\t(48x48 crops classified directly)")
    print(
      "accuracy_pipeline\t\(percent(pipelineCorrect, total))\t(scenes; a missed face counts as wrong)"
    )
    print(
      "accuracy_pipeline_detected\t\(percent(pipelineCorrect, detected.count))\t(scenes whose face was detected)"
    )
    print(
      "accuracy_crops_detected\t\(percent(directOnDetected, detected.count))\t(the same faces, crops)"
    )
    print(
      "agreement_detected\t\(percent(agree, detected.count))\t(same dominant emotion, pipeline vs crop)"
    )
  }

  /// A 640×480 grey scene with `face` enlarged to 120–200 px pasted at a random place; `kind`
  /// 0 is a plain background of random grey, 1 per-pixel uniform noise, 2 smooth blotches
  /// (a random 8×6 image enlarged) with mild noise.
  static func scene(with face: Image, kind: Int, rotate: Double = 0, random: inout SplitMix64)
    throws -> (Image, PixelBox)
  {
    let (width, height) = (640, 480)
    var scene = try DetectorScene.background(
      kind: kind, width: width, height: height, random: &random)
    let side = 120 + Int(random.next() % 81)
    let enlarged = try face.resized(width: side, height: side)
    let x = Int(random.next() % UInt64(width - side + 1))
    let y = Int(random.next() % UInt64(height - side + 1))
    if rotate > 0 {
      // The face square turned about its centre. The angle is drawn only here, so unrotated
      // runs keep their scenes.
      let angle = (Double(random.next() % 2001) / 1000 - 1) * rotate * .pi / 180
      DetectorScene.paste(
        enlarged, into: PixelBox(x: x, y: y, width: side, height: side), angle: angle,
        scene: &scene)
      return (scene, PixelBox(x: x, y: y, width: side, height: side))
    }
    for row in 0..<side {
      for column in 0..<side {
        scene.pixels[(y + row) * width + x + column] = enlarged.pixels[row * side + column]
      }
    }
    return (scene, PixelBox(x: x, y: y, width: side, height: side))
  }

  static func argmax(_ row: [Float]) -> Int {
    var best = 0
    for k in row.indices where row[k] > row[best] { best = k }
    return best
  }
}
