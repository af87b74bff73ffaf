import Classical
import Datasets
import Foundation
import Tensor
import TestSupport
import Testing

@Suite(.serialized) struct EvaluateCommandTests {
  /// What the library says the model scores on the val folder.
  static func expected(_ pipeline: ClassicalPipeline, _ images: LabeledImages) throws
    -> ClassificationReport
  {
    try ClassificationReport(
      classes: Emotion.names, truth: images.labels,
      predicted: pipeline.predict(GeneratedFaces.features(images)))
  }

  @Test func jsonHasTheMetricsKeysAndTheLibrarysNumbers() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let (pipeline, url) = try faces.trainModel("tiny")
    let result = try runCLI(
      ["evaluate", "--model", url.path, "--data", faces.val.path, "--format", "json"],
      cache: faces.cache)
    #expect(result.status == 0, "\(result.error)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "classes", "n", "accuracy", "macro_precision", "macro_recall", "macro_f1",
        "weighted_precision", "weighted_recall", "weighted_f1", "per_class", "confusion",
      ])
    let perClass = try #require(object["per_class"] as? [String: [String: Any]])
    #expect(Set(perClass.keys) == Set(Emotion.names))
    for scores in perClass.values {
      #expect(Set(scores.keys) == ["precision", "recall", "f1", "support"])
    }
    let report = try ClassificationReport(jsonData: Data(result.output.utf8))
    #expect(report == (try Self.expected(pipeline, faces.load(faces.val))))
    #expect(report.n == 21)
    #expect(report.accuracy < 1)  // the mislabelled val images are counted as errors
    // Notes go to stderr, so stdout stays one JSON document.
    #expect(result.error.contains("evaluated 21 images"))
  }

  @Test func textPrintsTheTableAndConfusionMatrixOfANamedModel() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let (pipeline, _) = try faces.trainModel("tiny", svm: true)
    let result = try runCLI(
      ["evaluate", "--model", "tiny", "--models", faces.models.path, "--data", faces.val.path],
      cache: faces.cache)
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.hasPrefix("model: tiny (kind svm, "))
    #expect(result.output.contains("data: \(faces.val.path): 21 images of 12x12"))
    let table = try Self.expected(pipeline, faces.load(faces.val)).table()
    #expect(result.output.hasSuffix(table), "\(result.output)")
    #expect(table.contains("confusion matrix (rows = true, columns = predicted)"))
  }

  @Test func withoutDuplicatesLeavesOutTheCopiesAndSaysSo() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let (pipeline, url) = try faces.trainModel("tiny")
    let arguments = [
      "evaluate", "--model", url.path, "--data", faces.val.path, "--without-duplicates",
      faces.duplicates.path,
    ]
    let text = try runCLI(arguments, cache: faces.cache)
    #expect(text.status == 0, "\(text.error)")
    #expect(
      text.output.contains(
        "without duplicates: left out 3 val images that are byte copies of train images; 18 remain"
      ))
    let json = try runCLI(arguments + ["--format", "json"], cache: faces.cache)
    #expect(json.status == 0, "\(json.error)")
    let report = try ClassificationReport(jsonData: Data(json.output.utf8))
    #expect(report.n == 18)
    let kept = try faces.load(faces.val).removing(names: [
      "happy/img1.png", "sad/img0.png", "surprise/img2.png",
    ])
    #expect(report == (try Self.expected(pipeline, kept)))
    #expect(json.error.contains("left out 3 val images"))
  }

  @Test func mirrorAveragingRuns() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let (_, url) = try faces.trainModel("tiny")
    let result = try runCLI(
      ["evaluate", "--model", url.path, "--data", faces.val.path, "--tta"], cache: faces.cache)
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.contains("test-time augmentation"))
    #expect(result.output.contains("accuracy"))
  }

  @Test func badModelsAndFoldersAreClearErrors() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let (pipeline, url) = try faces.trainModel("tiny")
    let bytes = try Data(contentsOf: url)
    let truncated = faces.models.appendingPathComponent("truncated.safetensors")
    try bytes.prefix(bytes.count - 100).write(to: truncated)
    let input = InputSpec(width: 12, height: 12, channels: 1)
    var otherKind = pipeline.modelFile(classes: Emotion.names, input: input)
    otherKind.card.kind = .mlp
    let mlp = faces.models.appendingPathComponent("mlp.safetensors")
    try otherKind.write(to: mlp)
    var misshapen = pipeline.modelFile(classes: Emotion.names, input: input)
    misshapen.tensors["weight"] = Tensor(shape: [7, 10], repeating: 0)
    let shapes = faces.models.appendingPathComponent("shapes.safetensors")
    try misshapen.write(to: shapes)
    let empty = faces.root.appendingPathComponent("empty")
    try FileManager.default.createDirectory(
      at: empty.appendingPathComponent("happy"), withIntermediateDirectories: true)
    let holdout = faces.root.appendingPathComponent("holdout")
    try GeneratedFaces.write(to: holdout, perClass: 1, offset: 90)

    let cases: [([String], [String])] = [
      (
        ["--model", truncated.path, "--data", faces.val.path],
        ["model file \(truncated.path)", "truncated"]
      ),
      (["--model", mlp.path, "--data", faces.val.path], [mlp.path, "kind 'mlp'"]),
      (
        ["--model", shapes.path, "--data", faces.val.path],
        ["model file \(shapes.path)", "tensor 'weight' has shape [7, 10], expected [7, 144]"]
      ),
      (["--model", url.path, "--data", empty.path], ["no images found in \(empty.path)"]),
      (
        ["--model", url.path, "--data", faces.train.path, "--without-duplicates", url.path],
        ["cannot read \(url.path)"]
      ),
      (
        [
          "--model", url.path, "--data", holdout.path, "--without-duplicates",
          faces.duplicates.path,
        ],
        ["names the splits train, val, not 'holdout'"]
      ),
    ]
    for (arguments, messages) in cases {
      let result = try runCLI(["evaluate"] + arguments, cache: faces.cache)
      #expect(result.status == 1, "\(arguments): \(result.status)")
      #expect(result.output.isEmpty, "\(arguments): \(result.output)")
      for message in messages {
        #expect(result.error.contains(message), "\(arguments): \(result.error)")
      }
      #expect(!result.error.contains("Fatal error") && !result.error.contains("Stack dump"))
    }
  }
}
