import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Tensor
import Vision

/// `emocl-bench detector-scenes`: how many faces a detector finds in generated scenes with the
/// properties issue 13 names — several FER2013 validation faces per scene, 24 to 400 px,
/// rotated by up to ±30°, a quarter of them partly covered — how many boxes match no face, and
/// how long detection takes per megapixel. A detection matches a face when their intersection
/// over union is at least 0.3 (each face and detection matched at most once, best first); the
/// face's truth is its square before rotation.
struct BenchDetectorScenes: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detector-scenes",
    abstract: "Faces found, false positives and time per MP on generated multi-face scenes."
  )

  @Option(help: "FER2013 validation folder (<class>/<image>.jpg).")
  var data: String = "../shared/datasets/fer2013/val"

  @Option(help: "Directory searched first for model names (mtcnn.safetensors).")
  var models: String?

  @Option(help: "Face detector: cnn (MTCNN) or haar.")
  var detector: String = FaceDetectorKind.standard.rawValue

  @Option(help: "Scenes to generate.")
  var scenes: Int = 200

  @Option(help: "Seed of the scenes.")
  var seed: UInt64 = 1

  @Option(help: "Scene width in pixels (1280×800 is about one megapixel).")
  var width: Int = 1280

  @Option(help: "Scene height in pixels.")
  var height: Int = 800

  @Option(help: "Largest |rotation| of a face in degrees.")
  var rotate: Double = 30

  @Option(help: "Share of faces partly covered (0-1).")
  var covered: Double = 0.25

  @OptionGroup(title: "MTCNN") var mtcnn: MTCNNFlags

  @Option(help: "Write the first N scenes with truth (white) and detections (yellow) as PNG.")
  var saveScenes: Int = 0

  @Option(help: "Directory for --save-scenes.")
  var scenesDir: String = "detector-scenes"

  /// A detection counts as a face from this intersection over union.
  static let matchThreshold = 0.3

  func validate() throws {
    guard scenes >= 1 else { throw ValidationError("--scenes must be >= 1") }
    guard width >= 200, height >= 200, width * height <= 40_000_000 else {
      throw ValidationError("--width and --height: at least 200 each, at most 40 MP")
    }
    guard (0...90).contains(rotate) else { throw ValidationError("--rotate must be in 0...90") }
    guard (0...1).contains(covered) else { throw ValidationError("--covered must be in 0...1") }
    guard FaceDetectorKind(rawValue: detector) != nil else {
      throw ValidationError("--detector must be one of \(FaceDetectorKind.names)")
    }
  }

  func run() throws {
    let locator: any FaceLocating =
      FaceDetectorKind(rawValue: detector) == .cnn
      ? try MTCNNDetector.standard(
        locator: ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) }),
        retriesTurned: mtcnn.turnedLooks, quantizedPNet: mtcnn.int8PNet,
        quantizedRefinement: mtcnn.int8Refine, planarKernels: try mtcnn.planarKernels())
      : try HaarFaceLocator.standard()
    let dataset = try LabeledImages.load(directory: URL(fileURLWithPath: data))
    let crops = DetectorScene.crops(of: dataset)
    var settings = DetectorScene.Settings()
    (settings.width, settings.height) = (width, height)
    settings.rotate = rotate
    settings.covered = covered
    var random = SplitMix64(seed: seed)
    var tally = DetectionTally()
    let clock = ContinuousClock()
    for n in 0..<scenes {
      let scene = try DetectorScene(
        crops: crops, kind: n % 3, settings: settings, random: &random)
      let start = clock.now
      let boxes = try locator.faceBoxes(in: scene.image)
      tally.seconds += seconds(clock.now - start)
      let matched = Self.match(truth: scene.faces.map(\.box), detections: boxes)
      tally.add(scene.faces, found: matched.found, falsePositives: matched.unmatched)
      if n < saveScenes { try save(scene, boxes: boxes, index: n) }
    }
    print("detector\t\(detector)")
    print(
      "scenes\t\(scenes)\t\(width)x\(height), seed \(seed), rotate ±\(rotate)°, covered \(covered)")
    tally.print(scenes: scenes, megapixels: Double(width * height) / 1e6)
  }

  /// Greedy one-to-one matching, best intersection over union first: which truth boxes were
  /// found, and how many detections match none.
  static func match(truth: [PixelBox], detections: [PixelBox]) -> (found: [Bool], unmatched: Int) {
    var pairs: [(iou: Double, t: Int, d: Int)] = []
    for (t, box) in truth.enumerated() {
      for (d, detection) in detections.enumerated() {
        let iou = box.intersectionOverUnion(detection)
        if iou >= matchThreshold { pairs.append((iou, t, d)) }
      }
    }
    var found = [Bool](repeating: false, count: truth.count)
    var used = [Bool](repeating: false, count: detections.count)
    for pair in pairs.sorted(by: { $0.iou > $1.iou }) where !found[pair.t] && !used[pair.d] {
      found[pair.t] = true
      used[pair.d] = true
    }
    return (found, used.filter { !$0 }.count)
  }

  private func save(_ scene: DetectorScene, boxes: [PixelBox], index: Int) throws {
    try FileManager.default.createDirectory(atPath: scenesDir, withIntermediateDirectories: true)
    var drawn = scene.image.rgb()
    for face in scene.faces {
      drawn.strokeRectangle(
        x: face.box.x, y: face.box.y, width: face.box.width, height: face.box.height,
        thickness: 1, colour: Colour(red: 255, green: 255, blue: 255))
    }
    for box in boxes {
      drawn.strokeRectangle(
        x: box.x, y: box.y, width: box.width, height: box.height, thickness: 2,
        colour: Colour(red: 255, green: 200, blue: 0))
    }
    try drawn.writePNG(toFile: "\(scenesDir)/scene-\(index).png")
  }
}
