import Foundation
import NeuralNet
import Tensor
import TestSupport
import Testing
import Training

/// Training on small synthetic images: each class is a bright bar at its own position and
/// orientation on a noisy background, so a tiny CNN can learn it within a few epochs.
@Suite(.serialized) struct CNNTrainerTests {
  static let classes = ["a", "b", "c", "d"]

  static func images(count: Int, seed: UInt64) throws -> TrainingImages {
    var rng = Xoshiro256(seed: seed)
    let side = 12
    var pixels = [UInt8](repeating: 0, count: count * side * side)
    var labels = [Int]()
    for i in 0..<count {
      let label = i % classes.count
      labels.append(label)
      for p in 0..<(side * side) { pixels[i * side * side + p] = UInt8(rng.nextInt(below: 60)) }
      let offset = 2 + rng.nextInt(below: 2)
      for k in 2..<10 {
        let (y, x) = label < 2 ? (offset + 5 * label, k) : (k, offset + 5 * (label - 2))
        pixels[i * side * side + y * side + x] = 220
      }
    }
    return try TrainingImages(
      width: side, height: side, classes: classes, pixels: pixels, labels: labels)
  }

  static func config(epochs: Int = 2, workers: Int = 2) -> CNNTrainingConfig {
    CNNTrainingConfig(
      network: NetworkSpec(
        inputChannels: 1, inputHeight: 10, inputWidth: 10,
        layers: [
          .conv2d(outputs: 6, kernel: 3, padding: 1, bias: false), .batchNorm(), .relu,
          .maxPool(kernel: 2, stride: 2), .dropout(rate: 0.1),
          .conv2d(outputs: 8, kernel: 3, padding: 1, bias: false), .batchNorm(), .relu,
          .globalAvgPool, .dense(outputs: 4),
        ]),
      epochs: epochs, batchSize: 8,
      optimizer: OptimizerConfig(kind: .sgd, momentum: 0.9, weightDecay: 1e-4),
      learningRate: 0.05, warmupEpochs: 0.5, labelSmoothing: 0.1,
      classBalance: ClassBalance(mode: .loss, power: 0.5),
      augmentation: AugmentationConfig(cropSize: 10, maxRotationDegrees: 5),
      seed: 11, workers: workers)
  }

  @Test func lossFallsAndAccuracyBeatsChance() throws {
    let train = try Self.images(count: 160, seed: 1)
    let val = try Self.images(count: 40, seed: 2)
    let trainer = try CNNTrainer(
      config: Self.config(epochs: 6), train: train, validation: val, runDirectory: nil)
    #expect(try trainer.run())
    let history = trainer.progress.history
    #expect(history.count == 6)
    #expect(history.last!.trainLoss < history.first!.trainLoss)
    #expect(try #require(history.last!.validationAccuracy) > 0.6)
  }

  @Test(arguments: [5, 10])
  func resumedRunEndsWithTheSameWeights(stopAfter: Int) throws {
    let train = try Self.images(count: 80, seed: 3)  // 10 steps per epoch
    let val = try Self.images(count: 12, seed: 4)
    let whole = try CNNTrainer(
      config: Self.config(), train: train, validation: val, runDirectory: nil)
    try whole.run()

    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let first = try CNNTrainer(
      config: Self.config(), train: train, validation: val, runDirectory: dir.url)
    #expect(try first.run(stopAfterSteps: stopAfter) == false)
    let resumed = try CNNTrainer.resume(runDirectory: dir.url, train: train, validation: val)
    #expect(resumed.progress.globalStep == stopAfter)
    #expect(try resumed.run())
    #expect(resumed.network.parameters.allValues == whole.network.parameters.allValues)
    #expect(resumed.network.state.allValues == whole.network.state.allValues)
    #expect(
      resumed.progress.history.map(\.validationAccuracy)
        == whole.progress.history.map(\.validationAccuracy))
    let csv = try String(contentsOf: dir.url.appendingPathComponent("log.csv"), encoding: .utf8)
    #expect(csv.split(separator: "\n").count == 3)
    #expect(csv.hasPrefix(EpochRecord.csvHeader))
  }

  @Test func damagedCheckpointsAreTypedErrors() throws {
    let train = try Self.images(count: 16, seed: 5)
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let trainer = try CNNTrainer(
      config: Self.config(epochs: 1), train: train, validation: nil, runDirectory: dir.url)
    try trainer.run()
    let file = dir.url.appendingPathComponent("checkpoint.bin")
    let good = try Data(contentsOf: file)
    _ = try Checkpoint.read(from: file)

    var flipped = good
    flipped[flipped.count / 2] ^= 0x40
    try flipped.write(to: file)
    #expect(throws: TrainingError.self) { try Checkpoint.read(from: file) }
    try good.prefix(good.count - 100).write(to: file)
    #expect(throws: TrainingError.self) { try Checkpoint.read(from: file) }
    try Data("not a checkpoint".utf8).write(to: file)
    #expect(throws: TrainingError.self) { try Checkpoint.read(from: file) }
    try FileManager.default.removeItem(at: file)
    #expect(throws: TrainingError.self) { try Checkpoint.read(from: file) }

    // A sound checkpoint with other training data is a mismatch.
    try good.write(to: file)
    let other = try Self.images(count: 24, seed: 6)
    #expect(throws: TrainingError.self) {
      _ = try CNNTrainer.resume(runDirectory: dir.url, train: other, validation: nil)
    }
  }

  @Test func invalidConfigurationsAreTypedErrors() throws {
    let train = try Self.images(count: 16, seed: 7)
    var bad = Self.config()
    bad.batchSize = 1
    #expect(throws: TrainingError.self) {
      _ = try CNNTrainer(config: bad, train: train, validation: nil, runDirectory: nil)
    }
    bad = Self.config()
    bad.augmentation.cropSize = 13
    #expect(throws: TrainingError.self) {
      _ = try CNNTrainer(config: bad, train: train, validation: nil, runDirectory: nil)
    }
    bad = Self.config()
    bad.learningRate = .nan
    #expect(throws: TrainingError.self) {
      _ = try CNNTrainer(config: bad, train: train, validation: nil, runDirectory: nil)
    }
    #expect(throws: TrainingError.self) {
      _ = try TrainingImages(width: 2, height: 2, classes: ["x"], pixels: [0, 0, 0], labels: [0])
    }
    #expect(throws: TrainingError.self) {
      _ = try TrainingImages(width: 1, height: 1, classes: ["x"], pixels: [0], labels: [1])
    }
  }
}
