import Datasets
import Foundation
import ModelTestSupport
import Pipeline
import Tensor
import TestSupport
import Testing
import Vision

/// A `models` folder in `directory` for video tests: the brightness model as `logreg` (fast,
/// deterministic) and the repository's MTCNN face detector.
func videoModels(in directory: URL) throws -> URL {
  let models = directory.appendingPathComponent("models")
  try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
  try writeBrightnessModel(to: models.appendingPathComponent("logreg.safetensors"))
  try FileManager.default.copyItem(
    at: SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors"),
    to: models.appendingPathComponent("mtcnn.safetensors"))
  return models
}

/// The brightness model (white faces are happy, black ones sad) written to `url`.
func writeBrightnessModel(to url: URL) throws {
  try BrightnessModel.pipeline().modelFile(classes: Emotion.names).write(to: url)
}

/// A uniform grey image of `level` written as PNG.
private func writePlain(_ path: URL, width: Int, height: Int, level: UInt8) throws {
  try Image(
    width: width, height: height, channels: 1,
    pixels: [UInt8](repeating: level, count: width * height)
  ).writePNG(toFile: path.path)
}

@Suite struct PredictCommandTests {
  @Test func jsonHasOneEntryPerImageAndFailuresSetTheStatus() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let model = dir.url.appendingPathComponent("bright.safetensors")
    try writeBrightnessModel(to: model)
    let white = dir.url.appendingPathComponent("white.png")
    let black = dir.url.appendingPathComponent("black.png")
    let bad = dir.url.appendingPathComponent("bad.jpg")
    try writePlain(white, width: 64, height: 60, level: 255)
    try writePlain(black, width: 48, height: 48, level: 0)
    try Data("not an image".utf8).write(to: bad)
    let images = [white.path, bad.path, black.path]
    let result = try runCLI(["predict"] + images + ["--model", model.path])
    #expect(result.status == 1, "\(result.error)")
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    #expect(array.map { $0["image"] as? String } == images)
    #expect(Set(array[0].keys) == ["image", "width", "height", "faces"])
    #expect(array[0]["width"] as? Int == 64 && array[0]["height"] as? Int == 60)
    let faces = try #require(array[0]["faces"] as? [[String: Any]])
    #expect(faces.count == 1)
    #expect(faces[0]["dominant"] as? String == "happy")
    #expect(faces[0]["box"] as? [String: Int] == ["x": 0, "y": 0, "width": 64, "height": 60])
    let emotions = try #require(faces[0]["emotions"] as? [String: Double])
    #expect(Set(emotions.keys) == Set(Emotion.names))
    #expect(abs(emotions.values.reduce(0, +) - 1) < 1e-5)
    #expect(Set(array[1].keys) == ["image", "error"])
    let error = try #require(array[1]["error"] as? [String: String])
    #expect(error["type"] == "undecodable_image" && error["message"]?.isEmpty == false)
    let blackFaces = try #require(array[2]["faces"] as? [[String: Any]])
    #expect(blackFaces.first?["dominant"] as? String == "sad")

    // Without the bad image the status is 0.
    let good = try runCLI(["predict", white.path, black.path, "--model", model.path])
    #expect(good.status == 0, "\(good.error)")
  }

  @Test func boxesNoDetectTextAndAnnotation() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let model = dir.url.appendingPathComponent("bright.safetensors")
    try writeBrightnessModel(to: model)
    // A dark 640×480 scene with a white 100 px square and a black 150 px square.
    var scene = Image(width: 640, height: 480, channels: 1)
    for i in scene.pixels.indices { scene.pixels[i] = 60 }
    for y in 100..<200 { for x in 50..<150 { scene.pixels[y * 640 + x] = 255 } }
    for y in 200..<350 { for x in 400..<550 { scene.pixels[y * 640 + x] = 0 } }
    let path = dir.url.appendingPathComponent("scene.png")
    try scene.writePNG(toFile: path.path)
    let boxes = "[[50, 100, 100, 100], [400, 200, 150, 150]]"
    let out = dir.url.appendingPathComponent("annotated")
    let result = try runCLI([
      "predict", path.path, "--model", model.path, "--boxes", boxes, "--margin", "0",
      "--annotate", out.path,
    ])
    #expect(result.status == 0, "\(result.error)")
    let records = try JSONDecoder().decode([PredictionRecord].self, from: Data(result.output.utf8))
    guard case .analysis(let analysis) = records.first?.outcome else {
      Issue.record("expected an analysis: \(result.output)")
      return
    }
    #expect(
      analysis.faces.map(\.box) == [
        PixelBox(x: 400, y: 200, width: 150, height: 150),
        PixelBox(x: 50, y: 100, width: 100, height: 100),
      ])
    #expect(analysis.faces.map(\.dominant) == [.sad, .happy])
    let annotated = try Image(contentsOfFile: out.appendingPathComponent("scene.png").path)
    #expect(annotated.width == 640 && annotated.height == 480 && annotated.channels == 3)
    let border = (300 * 640 + 400) * 3
    #expect(Array(annotated.pixels[border..<(border + 3)]) != [0, 0, 0])

    // A box outside the image is an error entry for that image.
    let outside = try runCLI([
      "predict", path.path, "--model", model.path, "--boxes", "[[600, 0, 100, 100]]",
    ])
    #expect(outside.status == 1)
    #expect(outside.output.contains("\"invalid_box\""))

    // --no-detect: one face, the whole image; text format.
    let text = try runCLI([
      "predict", path.path, "--model", model.path, "--no-detect", "--format", "text",
    ])
    #expect(text.status == 0, "\(text.error)")
    #expect(
      text.output.hasPrefix("\(path.path)  640x480  1 face (whole image)\n"), "\(text.output)")
    #expect(text.output.contains("0, 0, 640, 480"))
  }

  @Test func missingModelIsAClearError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let result = try runCLI(
      ["predict", "x.jpg", "--model", dir.url.appendingPathComponent("none.safetensors").path])
    #expect(result.status != 0)
    #expect(result.error.contains("model file not found"), "\(result.error)")
    let named = try runCLI(
      ["predict", "x.jpg", "--model", "nosuchmodel", "--models", dir.url.path],
      environment: ["EMOCL_MODELS": ""])
    #expect(named.status != 0)
    #expect(named.error.contains("'nosuchmodel' not found"), "\(named.error)")
    // A device is not a model file, and the message says so (it said "You don't have
    // permission" for /dev/null).
    let device = try runCLI(["predict", "x.jpg", "--model", "/dev/null"])
    #expect(
      device.status != 0 && device.error.contains("not a regular file"), "\(device.error)")
  }

  @Test func annotationFailureSaysWhy() throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let model = dir.url.appendingPathComponent("bright.safetensors")
    try writeBrightnessModel(to: model)
    // A folder under a regular file cannot be made: the system's reason, not an NSError dump.
    let file = dir.url.appendingPathComponent("file")
    try Data("x".utf8).write(to: file)
    let photo = photos.appendingPathComponent("21_single_face.jpg").path
    let result = try runCLI(
      [
        "predict", photo, "--model", model.path, "--annotate",
        file.appendingPathComponent("x").path,
      ])
    #expect(result.status != 0)
    #expect(result.output.contains("Not a directory"), "\(result.output)")
    #expect(!result.output.contains("NSCocoaErrorDomain"), "\(result.output)")
  }

  /// The faces `emocl predict` finds on the shared five-face photo with `arguments` (the
  /// brightness model classifies), or nil without the shared photos.
  static func fiveFacePhotoFaces(_ arguments: [String]) throws -> [[String: Any]]? {
    guard let photos = try SharedData.path("datasets/photos") else { return nil }
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let model = dir.url.appendingPathComponent("bright.safetensors")
    try writeBrightnessModel(to: model)
    let photo = photos.appendingPathComponent("20_multi_face.jpg").path
    let result = try runCLI(["predict", photo, "--model", model.path] + arguments)
    #expect(result.status == 0, "\(arguments): \(result.error)")
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    return try #require(array.first?["faces"] as? [[String: Any]])
  }

  @Test func bothDetectorsCountTheFiveFacePhoto() throws {
    var counts: [String: Int] = [:]
    for detector in ["cnn", "haar"] {
      guard let faces = try Self.fiveFacePhotoFaces(["--detector", detector]) else { return }
      counts[detector] = faces.count
      // Only the CNN gives a score, five landmarks and a quality per face.
      for face in faces {
        let detection = face["detection"] as? [String: Any]
        #expect((detection != nil) == (detector == "cnn"))
        if let detection {
          #expect((detection["landmarks"] as? [[Double]])?.count == 5)
          let quality = try #require(detection["quality"] as? [String: Any])
          #expect(quality["reliable"] is Bool && quality["sharpness"] is Double)
        }
      }
    }
    // Five faces; the Haar cascade misses one of them (Scripts/measure/face-counts.sh).
    #expect(counts == ["cnn": 5, "haar": 4])
  }

  /// `--int8-pnet` reaches the detector: the same five faces, each box overlapping one of the
  /// float P-Net's by an intersection over union of at least 0.8 (on a CPU without AVX-512
  /// VNNI both runs are the float P-Net's).
  @Test func theInt8PNetFlagCountsTheFiveFacePhoto() throws {
    var boxes: [[[Int]]] = []
    for flag in [[], ["--int8-pnet"]] {
      guard let faces = try Self.fiveFacePhotoFaces(flag) else { return }
      boxes.append(
        faces.compactMap { $0["box"] as? [String: Int] }.map {
          [$0["x"] ?? 0, $0["y"] ?? 0, $0["width"] ?? 0, $0["height"] ?? 0]
        })
    }
    #expect(boxes[0].count == 5 && boxes[1].count == 5)
    func overlap(_ a: [Int], _ b: [Int]) -> Double {
      let w = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
      let h = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
      return Double(w * h) / Double(a[2] * a[3] + b[2] * b[3] - w * h)
    }
    for box in boxes[1] {
      let best = boxes[0].map { overlap(box, $0) }.max() ?? 0
      #expect(best >= 0.8, "\(box): best overlap \(best) with \(boxes[0])")
    }
    // Where the int8 kernels run, the flag took effect: some box moved by a pixel or more.
    if Int8Convolution.isSupported {
      #expect(Set(boxes[0]) != Set(boxes[1]), "the same boxes with --int8-pnet")
    }
  }

  @Test func badOptionsAreRejectedBeforeWork() throws {
    for arguments in [
      ["predict", "x.jpg", "--boxes", "[[1, 2, 3]]"],
      ["predict", "x.jpg", "--boxes", "not json"],
      ["predict", "x.jpg", "--max-faces", "0"],
      ["predict", "x.jpg", "--detector", "dlib"],
      ["predict", "x.jpg", "--format", "xml"],
      ["predict"],
    ] {
      let result = try runCLI(arguments)
      #expect(result.status == 64, "\(arguments): \(result.status) \(result.error)")
      #expect(result.output.isEmpty)
    }
  }
}
