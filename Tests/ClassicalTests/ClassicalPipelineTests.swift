import Classical
import Datasets
import Foundation
import Tensor
import TestSupport
import Testing

@Suite struct ClassicalPipelineTests {
  /// 3 classes of 8×8 "images" in 0…1: class c brightens row band c, plus noise.
  static func images(count: Int, seed: UInt64) -> (Tensor, [Int]) {
    var state = seed
    func uniform() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(state >> 40) / Float(1 << 24)
    }
    var pixels: [Float] = []
    var labels: [Int] = []
    for i in 0..<count {
      let label = i % 3
      for row in 0..<8 {
        for _ in 0..<8 {
          let band: Float = row / 3 == label ? 0.35 : 0
          pixels.append(min(1, 0.3 + band + 0.4 * uniform()))
        }
      }
      labels.append(label)
    }
    return (Tensor(shape: [count, 64], storage: pixels), labels)
  }

  static let classifiers: [ClassicalPipeline.ClassifierOptions] = {
    var svm = SVC.Options()
    svm.probability = true
    svm.probabilityFolds = 3
    var lr = LogisticRegression.Options()
    lr.multiclass = .multinomial
    return [.logisticRegression(LogisticRegression.Options()), .logisticRegression(lr), .svm(svm)]
  }()

  @Test(arguments: 0..<3)
  func fitsAndSurvivesModelFileRoundTrip(_ which: Int) throws {
    let (x, y) = Self.images(count: 150, seed: 7)
    var pca = PCA.Options()
    pca.components = 10
    let usePCA = which == 2
    let (model, report) = try ClassicalPipeline.fit(
      features: x, labels: y, classCount: 3, pca: usePCA ? pca : nil,
      classifier: Self.classifiers[which])
    #expect(report.classifierSeconds >= 0)
    let (test, truth) = Self.images(count: 60, seed: 99)
    let predicted = try model.predict(test)
    let accuracy = Double(zip(predicted, truth).filter { $0 == $1 }.count) / 60
    #expect(accuracy > 0.9, "accuracy \(accuracy)")

    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let url = directory.url.appendingPathComponent("model.safetensors")
    try model.modelFile(classes: ["a", "b", "c"]).write(to: url, precision: .float32)
    let restored = try ClassicalPipeline(modelFile: try ModelFile.read(from: url))
    let identical = restored == model
    #expect(identical, "the model changed in the file round trip")
    #expect(try restored.predict(test) == predicted)
    let probabilities = try restored.probabilities(test)
    #expect(probabilities.shape == [60, 3])
  }

  @Test func svmFileStoresSupportVectorsAndComponentsInHalfPrecision() throws {
    let (x, y) = Self.images(count: 150, seed: 7)
    var pca = PCA.Options()
    pca.components = 10
    let (model, _) = try ClassicalPipeline.fit(
      features: x, labels: y, classCount: 3, pca: pca, classifier: Self.classifiers[2])
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let url = directory.url.appendingPathComponent("svm.safetensors")
    try model.modelFile(classes: ["a", "b", "c"]).write(to: url, precision: model.storagePrecision)
    let file = try ModelFile.read(from: url)
    #expect(file.storedTypes["svm.support_vectors"] == .f16)
    #expect(file.storedTypes["pca.components"] == .f16)
    #expect(file.storedTypes["svm.dual_coef"] == .f32)
    #expect(file.storedTypes["scaler.scale"] == .f32)
    // asStored() is exactly what the file reads back as, and differs from the fitted model
    // only by Float16 rounding.
    let stored = try model.asStored()
    let fromFile = try ClassicalPipeline(modelFile: file)
    #expect(stored == fromFile)
    #expect(stored != model)
    let (test, _) = Self.images(count: 60, seed: 99)
    let a = try stored.probabilities(test).storage
    let b = try model.probabilities(test).storage
    let largest = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    #expect(largest < 0.01, "Float16 rounding moved a probability by \(largest)")
  }

  @Test func rejectsForeignKindsAndMismatchedStages() throws {
    let (x, y) = Self.images(count: 30, seed: 1)
    let (model, _) = try ClassicalPipeline.fit(
      features: x, labels: y, classCount: 3, pca: nil,
      classifier: .logisticRegression(LogisticRegression.Options()))
    var file = model.modelFile(classes: ["a", "b", "c"])
    file.card.kind = .cnn
    #expect(throws: ClassicalError.self) { try ClassicalPipeline(modelFile: file) }
    file = model.modelFile(classes: ["a", "b", "c"])
    file.tensors["scaler.mean"] = Tensor(shape: [3], storage: [0, 0, 0])
    file.tensors["scaler.scale"] = Tensor(shape: [3], storage: [1, 1, 1])
    #expect(throws: ClassicalError.self) { try ClassicalPipeline(modelFile: file) }
    file = model.modelFile(classes: ["a", "b", "c"])
    file.tensors["bias"] = nil
    #expect(throws: (any Error).self) { try ClassicalPipeline(modelFile: file) }
    #expect(throws: ClassicalError.self) {
      try model.predict(Tensor(shape: [2, 10], repeating: 0))
    }
  }
}
