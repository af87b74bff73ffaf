import Classical
import Datasets
import Foundation
import ModelTestSupport
import Pipeline
import Tensor
import TestSupport
import Testing
import Vision

@Suite struct ClassicalClassifierTests {
  /// The images of a set as classifier input.
  static func faces(_ images: LabeledImages) -> [Image] {
    (0..<images.count).map {
      Image(
        width: images.width, height: images.height, channels: 1,
        pixels: Array(images.imagePixels($0)))
    }
  }

  /// A model file written to and read back from disk, as the CLI loads it.
  static func roundTrip(_ file: ModelFile, in directory: TemporaryDirectory, name: String) throws
    -> ModelFile
  {
    let url = directory.url.appendingPathComponent("\(name).safetensors")
    try file.write(to: url, precision: .float32)
    return try ModelFile.read(from: url)
  }

  @Test func logisticRegressionLoadsAndMatchesThePipeline() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let train = try TinyFaces.images(perClass: 4)
    let pipeline = try TinyFaces.logisticRegression(train)
    let file = try Self.roundTrip(TinyFaces.modelFile(pipeline), in: directory, name: "lr")
    let classifier = try file.emotionClassifier(name: "lr")
    let classical = try #require(classifier as? ClassicalClassifier)
    #expect(classical.name == "lr")
    #expect(classical.inputSize == (12, 12))
    #expect(classical.hasProbabilities)

    let test = try TinyFaces.images(perClass: 3, offset: 50)
    let faces = Self.faces(test)
    let expected = try pipeline.predict(TinyFaces.features(test))
    #expect(try classifier.predictedClasses(forFaces: faces) == expected)
    #expect(expected == test.labels)
    let rows = try classifier.probabilities(forFaces: faces)
    let reference = try pipeline.probabilities(TinyFaces.features(test))
    #expect(rows.flatMap { $0 } == reference.storage)
    for row in rows { #expect(abs(row.reduce(0, +) - 1) < 1e-5) }
    #expect(try classifier.probabilities(forFaces: []).isEmpty)
    #expect(try classifier.predictedClasses(forFaces: []).isEmpty)
    #expect(ModelFile.classifierKinds == [.cnn, .logreg, .svm])
  }

  @Test func svmWithoutPlattPredictsButGivesNoProbabilities() throws {
    let train = try TinyFaces.images(perClass: 4)
    let pipeline = try TinyFaces.svm(train)
    let classifier = try ClassicalClassifier(modelFile: TinyFaces.modelFile(pipeline), name: "s")
    #expect(!classifier.hasProbabilities)
    let test = try TinyFaces.images(perClass: 2, offset: 70)
    #expect(
      try classifier.predictedClasses(forFaces: Self.faces(test))
        == pipeline.predict(TinyFaces.features(test)))
    #expect(throws: ClassicalError.self) {
      try classifier.probabilities(forFaces: Self.faces(test))
    }
  }

  @Test func facesOfAnotherSizeAreRejected() throws {
    let pipeline = try TinyFaces.logisticRegression(try TinyFaces.images(perClass: 2))
    let classifier = try ClassicalClassifier(modelFile: TinyFaces.modelFile(pipeline), name: "x")
    #expect(throws: ClassicalError.self) {
      try classifier.predictedClasses(forFaces: [Image(width: 11, height: 12, channels: 1)])
    }
  }

  @Test func wrongShapesNameTheFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let pipeline = try TinyFaces.logisticRegression(try TinyFaces.images(perClass: 2))
    var file = TinyFaces.modelFile(pipeline)
    file.tensors["weight"] = Tensor(shape: [7, 100], repeating: 0.1)
    let bad = try Self.roundTrip(file, in: directory, name: "badshape")
    do {
      _ = try bad.emotionClassifier(name: "badshape")
      Issue.record("a misshapen weight loaded")
    } catch let error as ModelFileError {
      #expect(error.path.hasSuffix("badshape.safetensors"))
      #expect(error.problem == .wrongShape(tensor: "weight", expected: [7, 144], found: [7, 100]))
    }

    var missing = TinyFaces.modelFile(pipeline)
    missing.tensors["bias"] = nil
    #expect(throws: ModelFileError(path: "<memory>", problem: .missingTensor("bias"))) {
      try missing.emotionClassifier(name: "m")
    }
    var extra = TinyFaces.modelFile(pipeline)
    extra.tensors["stray"] = Tensor(shape: [1], repeating: 0)
    #expect(throws: ModelFileError(path: "<memory>", problem: .unexpectedTensor("stray"))) {
      try extra.emotionClassifier(name: "e")
    }
    // The card's input size decides the pixel count every tensor must match.
    var resized = TinyFaces.modelFile(pipeline)
    resized.card.input = InputSpec(width: 10, height: 12, channels: 1)
    #expect(throws: ModelFileError.self) { try resized.emotionClassifier(name: "r") }
  }

  @Test func svmShapesFollowTheMachineCount() throws {
    let pipeline = try TinyFaces.svm(try TinyFaces.images(perClass: 3))
    var file = TinyFaces.modelFile(pipeline)
    let coefficients = try #require(file.tensors["svm.dual_coef"])
    // One-vs-one over 7 classes has 21 machines; an ovr-sized coefficient table is wrong.
    #expect(coefficients.shape[0] == 21)
    file.tensors["svm.dual_coef"] = Tensor(shape: [7, coefficients.shape[1]], repeating: 0)
    #expect(
      throws: ModelFileError(
        path: "<memory>",
        problem: .wrongShape(
          tensor: "svm.dual_coef", expected: [21, coefficients.shape[1]],
          found: [7, coefficients.shape[1]]))
    ) { try file.emotionClassifier(name: "s") }
  }

  @Test func otherKindsAndColourInputAreClearErrors() throws {
    let pipeline = try TinyFaces.logisticRegression(try TinyFaces.images(perClass: 2))
    var pcaFile = TinyFaces.modelFile(pipeline)
    pcaFile.card.kind = .pca
    #expect(
      throws: ClassifierLoadError.unsupportedKind(
        .pca, path: "<memory>", supported: [.cnn, .logreg, .svm])
    ) { try pcaFile.emotionClassifier(name: "p") }

    var colour = TinyFaces.modelFile(pipeline)
    colour.card.input = InputSpec(width: 12, height: 12, channels: 3)
    do {
      _ = try colour.emotionClassifier(name: "c")
      Issue.record("a colour classical model loaded")
    } catch let error as ClassifierLoadError {
      guard case .invalidModel(let path, let reason) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path == "<memory>")
      #expect(reason.contains("3 channels"))
    }

    var nonFinite = TinyFaces.modelFile(pipeline)
    nonFinite.tensors["scaler.scale"]!.storage[0] = .nan
    #expect(throws: ClassifierLoadError.self) { try nonFinite.emotionClassifier(name: "n") }
  }

  @Test func truncatedFileIsAModelFileError() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let pipeline = try TinyFaces.logisticRegression(try TinyFaces.images(perClass: 2))
    let url = directory.url.appendingPathComponent("cut.safetensors")
    let bytes = try TinyFaces.modelFile(pipeline).serialized(precision: .float32)
    try Data(bytes.prefix(bytes.count / 2)).write(to: url)
    do {
      _ = try ModelFile.emotionClassifier(url.path)
      Issue.record("a truncated file loaded")
    } catch let error as ModelFileError {
      #expect(error.path == url.path)
      guard case .notSafetensors(.truncated) = error.problem else {
        Issue.record("\(error)")
        return
      }
    }
  }
}
