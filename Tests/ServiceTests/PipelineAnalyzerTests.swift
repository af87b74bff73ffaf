import Datasets
import Foundation
import HummingbirdTesting
import Pipeline
import Service
import Tensor
import TestSupport
import Testing
import Vision

/// The real analyzer (Learning's `EmotionPipeline` with Haar face detection) behind the routes,
/// over a tiny model file written per test.
@Suite("Pipeline analyzer", .serialized)
struct PipelineAnalyzerTests {
  static func load(_ folder: URL) throws -> PipelineAnalyzer {
    try PipelineAnalyzer.load(
      modelsDirectory: folder, faceLocator: try HaarFaceLocator.standard(),
      logger: Harness.logger)
  }

  static func png(width: Int, height: Int, level: UInt8) throws -> [UInt8] {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let path = directory.url.appendingPathComponent("p.png").path
    try Image(
      width: width, height: height, channels: 1,
      pixels: [UInt8](repeating: level, count: width * height)
    ).writePNG(toFile: path)
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  @Test("loads the models present, skips unusable files, and lists each card's metrics")
  func modelsFromCards() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    try TinyModel.write(to: directory.url, name: "logreg")
    try Data("not a model".utf8).write(to: directory.url.appendingPathComponent("svm.safetensors"))
    let analyzer = try Self.load(directory.url)
    #expect(analyzer.models.map(\.name) == ["logreg"])
    // Without cnn, the first loaded model is the default.
    #expect(analyzer.models[0].isDefault)
    let harness = try Harness(analyzer: analyzer)
    try await harness.test { client in
      let r = try await client.execute(uri: "/api/v1/models", method: .get)
      #expect(r.status == .ok)
      #expect(try SchemaChecker.load().check(json: r.data, against: "Models") == [])
      #expect(r.object["default"] as? String == "logreg")
      let model = try #require((r.object["models"] as? [[String: Any]])?.first)
      #expect(model["kind"] as? String == "logreg")
      #expect(model["classes"] as? [String] == Emotion.names)
      let input = try #require(model["input"] as? [String: Any])
      #expect(input["width"] as? Int == 48 && input["height"] as? Int == 48)
      #expect(input["channels"] as? Int == 1)
      let metrics = try #require(model["metrics"] as? [String: Any])
      #expect(metrics["samples"] as? Int == 70)
      // 6 right in each of six classes, 10 in neutral.
      let accuracy = try #require(metrics["accuracy"] as? Double)
      #expect(abs(accuracy - 46.0 / 70.0) < 1e-9)
      let perClass = try #require(metrics["per_class"] as? [[String: Any]])
      #expect(perClass.map { $0["emotion"] as? String } == Emotion.names)
      let neutral = perClass[Emotion.neutral.index]
      // Neutral: 10 right, 24 other faces called neutral; recall 1, precision 10/34.
      #expect(abs((neutral["recall"] as? Double ?? 0) - 1) < 1e-9)
      #expect(abs((neutral["precision"] as? Double ?? 0) - 10.0 / 34.0) < 1e-9)
      let f1s = perClass.compactMap { $0["f1"] as? Double }
      let macroF1 = try #require(metrics["macro_f1"] as? Double)
      #expect(abs(macroF1 - f1s.reduce(0, +) / 7) < 1e-9)
      #expect(metrics["confusion"] as? [[Int]] == TinyModel.confusion)
      let calibration = try #require(model["calibration"] as? [String: Any])
      #expect(calibration["temperature"] as? Double == 1.7)
      #expect(calibration["ece_before"] as? Double == 0.12)
      #expect(calibration["ece_after"] as? Double == 0.04)
      #expect((model["trained_at"] as? String)?.hasPrefix("2026-09-21") == true)
    }
  }

  @Test("the shipped CNN is listed with the precision it runs in and that form's metrics")
  func shippedCNNPrecision() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let shipped = SharedData.repositoryRoot.appendingPathComponent("Models/cnn.safetensors")
    try FileManager.default.createSymbolicLink(
      at: directory.url.appendingPathComponent("cnn.safetensors"), withDestinationURL: shipped)
    let card = try ModelFile.read(from: shipped).card
    let int8Accuracy = try #require(
      card.architecture["int8"]?["evaluation"]?["metrics"]?["accuracy"]?.doubleValue,
      "the shipped card records its 8-bit evaluation")
    let floatAccuracy = try #require(card.metrics?.accuracy)
    #expect(int8Accuracy != floatAccuracy)
    for int8 in [true, false] {
      let analyzer = try PipelineAnalyzer.load(
        modelsDirectory: directory.url, faceLocator: nil, cnn: CNNOptions(int8: int8),
        logger: Harness.logger)
      let runsInt8 = int8 && Int8Convolution.isSupported
      #expect(analyzer.models[0].precision == (runsInt8 ? "int8" : "float32"))
      #expect(analyzer.models[0].metrics?.accuracy == (runsInt8 ? int8Accuracy : floatAccuracy))
      let harness = try Harness(analyzer: analyzer)
      try await harness.test { client in
        let r = try await client.execute(uri: "/api/v1/models", method: .get)
        #expect(try SchemaChecker.load().check(json: r.data, against: "Models") == [])
        let model = try #require((r.object["models"] as? [[String: Any]])?.first)
        #expect(model["precision"] as? String == (runsInt8 ? "int8" : "float32"))
      }
    }
  }

  @Test("cnn is the default when present, else svm; a folder without models is a clear error")
  func defaultsAndErrors() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let error = #expect(throws: ModelsLoadError.self) { try Self.load(directory.url) }
    #expect(error?.description.contains(directory.url.path) == true)
    #expect(error?.description.contains("cnn.safetensors") == true)
    // Any file named cnn.safetensors is loaded by its card's kind: here a logistic regression.
    try TinyModel.write(to: directory.url, name: "logreg")
    try TinyModel.write(to: directory.url, name: "cnn")
    let analyzer = try Self.load(directory.url)
    #expect(analyzer.models.map(\.name) == ["cnn", "logreg"])
    #expect(analyzer.models.map(\.isDefault) == [true, false])
    // Without a CNN the SVM (more accurate than the logistic regression) is the default.
    try FileManager.default.removeItem(at: directory.url.appendingPathComponent("cnn.safetensors"))
    try TinyModel.write(to: directory.url, name: "svm")
    let withoutCNN = try Self.load(directory.url)
    #expect(withoutCNN.models.map(\.name) == ["svm", "logreg"])
    #expect(withoutCNN.models.map(\.isDefault) == [true, false])
  }

  @Test("whole images, boxes and bad images through the routes")
  func analyzeThroughRoutes() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    try TinyModel.write(to: directory.url, name: "logreg")
    let harness = try Harness(analyzer: try Self.load(directory.url))
    let white = try Self.png(width: 200, height: 120, level: 255)
    let black = try Self.png(width: 48, height: 48, level: 0)
    try await harness.test { client in
      // A small square image is a face crop: classified whole, no detection.
      let dark = try await RouteTests.post(
        client, "/api/v1/analyze", bytes: black, contentType: "image/png")
      #expect(dark.status == .ok, "\(dark.text)")
      #expect(try SchemaChecker.load().check(json: dark.data, against: "Analysis") == [])
      let darkFaces = try #require(dark.object["faces"] as? [[String: Any]])
      #expect(darkFaces.count == 1 && darkFaces[0]["dominant"] as? String == "sad")
      // detect=false: the whole (non-square) image is one face.
      let bright = try await RouteTests.post(
        client, "/api/v1/analyze?detect=false&store=false", bytes: white, contentType: "image/png")
      let brightFaces = try #require(bright.object["faces"] as? [[String: Any]])
      #expect(brightFaces.count == 1 && brightFaces[0]["dominant"] as? String == "happy")
      #expect(bright.object["id"] is NSNull)
      // A plain bright image has no face to detect.
      let detected = try await RouteTests.post(
        client, "/api/v1/analyze?store=false", bytes: white, contentType: "image/png")
      #expect((detected.object["faces"] as? [Any])?.count == 0)
      // Caller-supplied boxes, largest first.
      let boxed = try await RouteTests.post(
        client, "/api/v1/analyze?store=false&boxes=%5B%5B0,0,10,10%5D,%5B20,20,60,50%5D%5D",
        bytes: white, contentType: "image/png")
      let boxes = try #require(boxed.object["faces"] as? [[String: Any]]).map {
        $0["box"] as? [String: Int]
      }
      #expect(
        boxes == [
          ["x": 20, "y": 20, "width": 60, "height": 50],
          ["x": 0, "y": 0, "width": 10, "height": 10],
        ])
      // A box outside the image, more boxes than max_faces: 422.
      try RouteTests.expectProblem(
        try await RouteTests.post(
          client, "/api/v1/analyze?boxes=%5B%5B190,0,20,20%5D%5D", bytes: white,
          contentType: "image/png"), .unprocessableContent, kind: "unusable-image")
      try RouteTests.expectProblem(
        try await RouteTests.post(
          client, "/api/v1/analyze?max_faces=1&boxes=%5B%5B0,0,9,9%5D,%5B0,0,8,8%5D%5D",
          bytes: white, contentType: "image/png"), .unprocessableContent, kind: "unusable-image")
      // A truncated PNG is damaged (422), text is not an image (415); a header claiming
      // 100000×100000 is 413.
      try RouteTests.expectProblem(
        try await RouteTests.post(
          client, "/api/v1/analyze", bytes: Array(white.prefix(60)), contentType: "image/png"),
        .unprocessableContent, kind: "corrupt-image")
      try RouteTests.expectProblem(
        try await RouteTests.post(
          client, "/api/v1/analyze", bytes: Array("hello".utf8), contentType: "image/png"),
        .unsupportedMediaType, kind: "not-an-image")
      try RouteTests.expectProblem(
        try await RouteTests.post(
          client, "/api/v1/analyze", bytes: TestImages.png(width: 100_000, height: 100_000),
          contentType: "image/png"), .contentTooLarge, kind: "image-too-large")
      // Only the first, stored analysis was recorded.
      let list = try await client.execute(uri: "/api/v1/analyses", method: .get)
      #expect((list.object["analyses"] as? [Any])?.count == 1)
    }
  }

  @Test("shared photos: faces are detected as emocl predict finds them")
  func sharedPhotos() async throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    try TinyModel.write(to: directory.url, name: "logreg")
    let analyzer = try Self.load(directory.url)
    let harness = try Harness(analyzer: analyzer)
    let single = Array(try Data(contentsOf: photos.appendingPathComponent("21_single_face.jpg")))
    let none = Array(try Data(contentsOf: photos.appendingPathComponent("29_no-faces.jpg")))
    let multi = Array(try Data(contentsOf: photos.appendingPathComponent("20_multi_face.jpg")))
    try await harness.test { client in
      let one = try await RouteTests.post(
        client, "/api/v1/analyze?tag=photos", bytes: single, contentType: "image/jpeg")
      #expect(one.status == .ok, "\(one.text)")
      let faces = try #require(one.object["faces"] as? [[String: Any]])
      #expect(faces.count == 1)
      let width = try #require(one.object["width"] as? Int)
      let box = try #require(faces.first?["box"] as? [String: Int])
      #expect(
        (box["width"] ?? 0) >= 30 && (box["x"] ?? -1) >= 0
          && (box["x"] ?? 0) + (box["width"] ?? 0) <= width)
      let empty = try await RouteTests.post(
        client, "/api/v1/analyze", bytes: none, contentType: "image/jpeg")
      #expect((empty.object["faces"] as? [Any])?.count == 0)
      let many = try await RouteTests.post(
        client, "/api/v1/analyze?max_faces=2", bytes: multi, contentType: "image/jpeg")
      #expect((many.object["faces"] as? [Any])?.count == 2)
      // The pipeline's own answer, as emocl predict gives it.
      let pipeline = EmotionPipeline(
        classifier: try ModelFile.emotionClassifier(
          directory.url.appendingPathComponent("logreg.safetensors").path),
        faceLocator: try HaarFaceLocator.standard())
      let expected = try pipeline.analyze(encoded: single)
      #expect(expected.faces.map(\.box.x) == [box["x"]])
    }
  }

  @Test("a batch's pixel budget refuses the image that would pass it, from its header")
  func batchPixelBudget() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    try TinyModel.write(to: directory.url, name: "logreg")
    let analyzer = try Self.load(directory.url)
    // 300×300 is 90,000 pixels: a budget of 200,000 takes two, not three.
    let harness = try Harness(configure: { $0.maxBatchPixels = 200_000 }, analyzer: analyzer)
    var form = MultipartBody()
    for i in 0..<3 {
      form.add(
        name: "images", filename: "\(i).png", contentType: "image/png",
        body: try Self.png(width: 300, height: 300, level: UInt8(40 * i)))
    }
    let (body, contentType) = (form.finished(), form.contentType)
    try await harness.test { client in
      let r = try await RouteTests.post(
        client, "/api/v1/analyze/batch?store=false&detect=false", bytes: body,
        contentType: contentType)
      #expect(r.status == .ok, "\(r.text)")
      let results = try #require(r.object["results"] as? [[String: Any]])
      #expect(results.map { $0["width"] as? Int } == [300, 300, nil])
      let error = results.last?["error"] as? [String: Any]
      #expect(error?["type"] as? String == "/problems/batch-too-large")
    }
  }
}
