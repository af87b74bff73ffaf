import Classical
import Datasets
import Foundation
import ModelTestSupport
import NeuralNet
import Pipeline
import Tensor
import TestSupport
import Testing
import Vision

@Suite struct ModelFileClassifierTests {
  /// Softmax of the brightness model's scores at mean value `m`, in Double: happy scores
  /// 20m − 10, sad 10 − 20m, the rest 0.
  func expected(mean m: Double) -> [Double] {
    var scores = [Double](repeating: 0, count: 7)
    scores[Emotion.happy.index] = 20 * m - 10
    scores[Emotion.sad.index] = 10 - 20 * m
    let top = scores.max()!
    let e = scores.map { exp($0 - top) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
  }

  @Test func logisticModelFileClassifiesThroughThePipeline() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let url = dir.url.appendingPathComponent("bright.safetensors")
    try BrightnessModel.pipeline().modelFile(classes: Emotion.names).write(
      to: url, precision: .float32)
    let classifier = try ModelFile.emotionClassifier(url.path)
    #expect(classifier is ClassicalClassifier)
    #expect(classifier.name == "bright")
    #expect(classifier.inputSize == (48, 48))
    let levels: [UInt8] = [0, 64, 128, 200, 255]
    let faces = levels.map { Scene.plain(width: 48, height: 48, level: $0) }
    let rows = try classifier.probabilities(forFaces: faces)
    #expect(rows.count == levels.count)
    for (level, row) in zip(levels, rows) {
      let reference = expected(mean: Double(level) / 255)
      for k in 0..<7 { #expect(abs(Double(row[k]) - reference[k]) < 1e-5, "level \(level)") }
    }
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: nil)
    let white = try pipeline.analyze(Scene.plain(width: 64, height: 64, level: 255))
    #expect(white.faces.map(\.dominant) == [.happy])
    let black = try pipeline.analyze(Scene.plain(width: 64, height: 64, level: 0))
    #expect(black.faces.map(\.dominant) == [.sad])
  }

  @Test func cnnModelFileClassifiesThroughThePipeline() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let spec = NetworkSpec(
      inputChannels: 1, inputHeight: 44, inputWidth: 44,
      layers: [
        .conv2d(outputs: 4, kernel: 3, stride: 2), .relu, .globalAvgPool, .dense(outputs: 7),
      ])
    let file = try CNNClassifier.modelFile(
      network: try Network(spec: spec, seed: 3), classes: Emotion.names, sourceWidth: 48,
      sourceHeight: 48, normalization: Normalization(mean: 0.5, std: 0.25), training: nil,
      metrics: nil, calibration: nil)
    let url = dir.url.appendingPathComponent("tiny.safetensors")
    try file.write(to: url, precision: .float32)
    let classifier = try ModelFile.emotionClassifier(url.path)
    #expect(classifier is CNNEmotionClassifier)
    #expect(classifier.name == "tiny" && classifier.inputSize == (48, 48))
    // Rows are the CNN's own probabilities for the same pixels.
    var faces: [Image] = []
    for n in 0..<3 {
      faces.append(
        Image(
          width: 48, height: 48, channels: 1,
          pixels: (0..<(48 * 48)).map { UInt8(truncatingIfNeeded: $0 * (n + 3) + n * 71) }))
    }
    let rows = try classifier.probabilities(forFaces: faces)
    let direct = try CNNClassifier(file: try ModelFile.read(from: url)).probabilities(
      pixels: faces.flatMap(\.pixels), count: 3)
    #expect(rows.flatMap { $0 } == direct)
    for row in rows { #expect(abs(row.reduce(0, +) - 1) < 1e-5) }
    #expect(try classifier.probabilities(forFaces: []).isEmpty)
    #expect(throws: (any Error).self) {
      try classifier.probabilities(forFaces: [Scene.plain(width: 40, height: 48, level: 0)])
    }
    // Through the pipeline: a 96×96 image is resized to 48×48 and classified whole.
    let big = try faces[0].resized(width: 96, height: 96)
    let analysis = try EmotionPipeline(classifier: classifier, faceLocator: nil).analyze(big)
    let expectedRow = try classifier.probabilities(forFaces: [
      try big.resized(width: 48, height: 48)
    ])
    let face = try #require(analysis.faces.first)
    for k in 0..<7 { #expect(abs(face.emotions.values[k] - expectedRow[0][k]) < 1e-6) }
  }

  @Test func unusableModelsAreRejectedWithClearErrors() throws {
    let model = try BrightnessModel.pipeline()
    #expect(throws: ClassifierLoadError.self) {
      try model.modelFile(classes: ["a", "b", "c", "d", "e", "f", "g"]).emotionClassifier(
        name: "x")
    }
    // A 48×48 model cannot take 32×32 input.
    let small = model.modelFile(
      classes: Emotion.names, input: InputSpec(width: 32, height: 32, channels: 1))
    #expect(throws: (any Error).self) { try small.emotionClassifier(name: "x") }
    // Kinds without a classifier name the ones that have one.
    var other = model.modelFile(classes: Emotion.names)
    other.card.kind = "pca"
    do {
      _ = try other.emotionClassifier(name: "x")
      Issue.record("expected an error")
    } catch let error as ClassifierLoadError {
      #expect("\(error)".contains("'pca'") && "\(error)".contains("cnn, logreg, svm"))
    }
  }

  @Test func svmWithoutProbabilitiesFailsEachImageClearly() throws {
    let svm = try SVC(
      kernel: .linear, multiclass: .oneVsRest, classCount: 7,
      supportVectors: Tensor(shape: [1, 48 * 48], repeating: 1),
      dualCoefficients: Tensor(shape: [7, 1], repeating: 0.5),
      intercepts: [Float](repeating: 0, count: 7), platt: [])
    let model = try ClassicalPipeline(
      scaler: try BrightnessModel.pipeline().scaler, pca: nil, classifier: .svm(svm))
    let classifier = try model.modelFile(classes: Emotion.names).emotionClassifier(name: "svm")
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: nil)
    do {
      _ = try pipeline.analyze(Scene.plain(width: 48, height: 48, level: 0))
      Issue.record("expected an error")
    } catch {
      #expect(error.code == "classifier_failed")
      #expect(error.description.contains("probability calibration"))
    }
  }
}
