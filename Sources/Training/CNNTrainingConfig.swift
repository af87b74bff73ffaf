import Foundation
import NeuralNet

/// Everything that defines a CNN training run; stored in each checkpoint (a resume must match)
/// and in the model card.
public struct CNNTrainingConfig: Codable, Sendable, Equatable {
  public var network: NetworkSpec
  public var epochs: Int
  /// Images per step (split between the workers).
  public var batchSize: Int
  public var optimizer: OptimizerConfig
  /// Peak learning rate.
  public var learningRate: Double
  /// Linear warm-up length in epochs, then cosine decay.
  public var warmupEpochs: Double
  /// Final learning rate as a fraction of the peak.
  public var finalLearningRateFraction: Double
  public var labelSmoothing: Float
  public var classBalance: ClassBalance
  public var augmentation: AugmentationConfig
  /// Input normalisation; nil means "measure on the training set" (filled in at start).
  public var normalization: Normalization?
  public var seed: UInt64
  /// Threads that split each batch; results are reproducible for a given count.
  public var workers: Int
  /// im2col columns per GEMM chunk (a speed knob; does not change results).
  public var columnTarget: Int

  public init(
    network: NetworkSpec = .vgg(), epochs: Int = 60, batchSize: Int = 64,
    optimizer: OptimizerConfig = OptimizerConfig(kind: .sgd, momentum: 0.9, weightDecay: 5e-4),
    learningRate: Double = 0.05, warmupEpochs: Double = 2,
    finalLearningRateFraction: Double = 0.001, labelSmoothing: Float = 0.1,
    classBalance: ClassBalance = ClassBalance(mode: .loss, power: 0.5),
    augmentation: AugmentationConfig = AugmentationConfig(cropSize: 44),
    normalization: Normalization? = nil, seed: UInt64 = 1, workers: Int = 2,
    columnTarget: Int = 2048
  ) {
    self.network = network
    self.epochs = epochs
    self.batchSize = batchSize
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.warmupEpochs = warmupEpochs
    self.finalLearningRateFraction = finalLearningRateFraction
    self.labelSmoothing = labelSmoothing
    self.classBalance = classBalance
    self.augmentation = augmentation
    self.normalization = normalization
    self.seed = seed
    self.workers = workers
    self.columnTarget = columnTarget
  }

  /// Rejects values out of range before anything is allocated.
  public func validate() throws(TrainingError) {
    guard epochs >= 1, epochs <= 10_000 else {
      throw .invalidConfiguration("epochs must be in 1...10000")
    }
    guard batchSize >= 2, batchSize <= 4096 else {
      throw .invalidConfiguration("batch must be in 2...4096")
    }
    guard workers >= 1, workers <= 64, workers <= batchSize else {
      throw .invalidConfiguration("workers must be in 1...min(64, batch)")
    }
    guard learningRate > 0, learningRate.isFinite, learningRate <= 10 else {
      throw .invalidConfiguration("learning rate must be in (0, 10]")
    }
    guard warmupEpochs >= 0, warmupEpochs <= Double(epochs) else {
      throw .invalidConfiguration("warm-up must be in 0...epochs")
    }
    guard (0...1).contains(finalLearningRateFraction) else {
      throw .invalidConfiguration("final learning-rate fraction must be in 0...1")
    }
    guard labelSmoothing >= 0, labelSmoothing < 1 else {
      throw .invalidConfiguration("label smoothing must be in [0, 1)")
    }
    guard classBalance.power >= 0, classBalance.power <= 2 else {
      throw .invalidConfiguration("class-balance power must be in 0...2")
    }
    let o = optimizer
    guard o.weightDecay >= 0, o.weightDecay < 1, (0..<1).contains(o.momentum),
      (0..<1).contains(o.beta1), (0..<1).contains(o.beta2), o.epsilon > 0
    else { throw .invalidConfiguration("optimizer hyper-parameters out of range: \(o)") }
    guard columnTarget >= 1, columnTarget <= 1 << 20 else {
      throw .invalidConfiguration("column target must be in 1...2^20")
    }
    guard network.inputChannels == 1, network.inputHeight == augmentation.cropSize,
      network.inputWidth == augmentation.cropSize
    else {
      throw .invalidConfiguration(
        "network input must be 1×\(augmentation.cropSize)×\(augmentation.cropSize) (the crop)")
    }
  }
}
