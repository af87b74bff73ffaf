import Datasets
import Foundation
import NeuralNet
import Tensor

/// Trains a CNN on grey images: shuffled (or class-balanced) mini-batches, on-the-fly
/// augmentation, data-parallel steps over ``CNNTrainingConfig/workers`` threads, warm-up then
/// cosine learning rate, evaluation and a checkpoint after every epoch.
///
/// Every random choice derives from the seed and the position in the run (epoch for the
/// order, step and image slot for augmentation and dropout), so a run continued from a
/// checkpoint with the same worker count ends with bit-identical weights to one never
/// interrupted. A run directory, when given, holds `checkpoint.bin`, `config.json` and
/// `log.csv`.
public final class CNNTrainer: @unchecked Sendable {
  /// The configuration, with ``CNNTrainingConfig/normalization`` filled in.
  public let config: CNNTrainingConfig
  public let network: Network
  public private(set) var progress: TrainingProgress
  public let runDirectory: URL?
  public let stepsPerEpoch: Int
  public let schedule: LearningRateSchedule
  let train: TrainingImages
  private let validation: TrainingImages?
  private let optimizer: Optimizer
  private let replicas: Replicas
  private let loss: SoftmaxCrossEntropy
  private let normalization: Normalization
  private let samplingWeights: [Double]?
  private let dataSummary: DataSummary

  /// Starts a new run. The run directory (if any) is created.
  public convenience init(
    config: CNNTrainingConfig, train: TrainingImages, validation: TrainingImages?,
    runDirectory: URL?
  ) throws {
    try self.init(
      config: config, train: train, validation: validation, runDirectory: runDirectory,
      checkpoint: nil)
  }

  /// Continues the run saved in `runDirectory/checkpoint.bin` with its own configuration.
  /// The training and validation sets must be the ones it started with.
  public static func resume(
    runDirectory: URL, train: TrainingImages, validation: TrainingImages?
  ) throws -> CNNTrainer {
    let checkpoint = try Checkpoint.read(
      from: runDirectory.appendingPathComponent("checkpoint.bin"))
    return try CNNTrainer(
      config: checkpoint.config, train: train, validation: validation,
      runDirectory: runDirectory, checkpoint: checkpoint)
  }

  private init(
    config requested: CNNTrainingConfig, train: TrainingImages, validation: TrainingImages?,
    runDirectory: URL?, checkpoint: Checkpoint?
  ) throws {
    try requested.validate()
    try requested.augmentation.validate(sourceWidth: train.width, sourceHeight: train.height)
    guard train.count >= requested.batchSize else {
      throw TrainingError.invalidData(
        "\(train.count) training images, fewer than one batch of \(requested.batchSize)")
    }
    if let validation {
      guard validation.width == train.width, validation.height == train.height,
        validation.classes == train.classes, validation.count > 0
      else {
        throw TrainingError.invalidData(
          "validation images must be non-empty, \(train.width)×\(train.height), same classes")
      }
    }
    var config = requested
    normalization = config.normalization ?? Normalization.measure(train.pixels)
    config.normalization = normalization
    self.config = config
    self.train = train
    self.validation = validation
    self.runDirectory = runDirectory
    network = try Network(spec: config.network, seed: config.seed)
    guard network.classes == train.classes.count else {
      throw TrainingError.invalidConfiguration(
        "network has \(network.classes) outputs for \(train.classes.count) classes")
    }
    optimizer = Optimizer(config: config.optimizer, parameters: network.parameters)
    replicas = try Replicas(
      network: network, workers: config.workers, maxBatch: config.batchSize,
      columnTarget: config.columnTarget)
    let counts = train.classCounts
    loss = SoftmaxCrossEntropy(
      labelSmoothing: config.labelSmoothing,
      classWeights: config.classBalance.lossWeights(counts: counts))
    samplingWeights = config.classBalance.samplingWeights(counts: counts)
    stepsPerEpoch = train.count / config.batchSize
    schedule = LearningRateSchedule(
      peak: config.learningRate,
      warmupSteps: Int((config.warmupEpochs * Double(stepsPerEpoch)).rounded()),
      totalSteps: stepsPerEpoch * config.epochs, warmupStart: 0.1,
      finalFraction: config.finalLearningRateFraction)
    dataSummary = DataSummary(train: train, validation: validation)
    progress = TrainingProgress()
    if let checkpoint { try restore(checkpoint) }
    if let runDirectory {
      try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try encoder.encode(config).write(to: runDirectory.appendingPathComponent("config.json"))
    }
  }

  private func restore(_ checkpoint: Checkpoint) throws {
    guard checkpoint.parameterInfos == network.parameters.infos,
      checkpoint.stateInfos == network.state.infos
    else { throw TrainingError.checkpointMismatch("parameter tables differ from the network") }
    guard let summary = checkpoint.progress.data, summary == dataSummary else {
      throw TrainingError.checkpointMismatch(
        "the checkpoint was trained on other data (\(checkpoint.progress.data?.description ?? "unknown")), "
          + "now given \(dataSummary)")
    }
    try network.parameters.setAll(checkpoint.parameters)
    try network.state.setAll(checkpoint.state)
    try optimizer.restore(checkpoint.optimizer)
    progress = checkpoint.progress
  }

  /// The current state as a checkpoint.
  public func checkpoint() -> Checkpoint {
    var p = progress
    p.data = dataSummary
    return Checkpoint(
      config: config, progress: p, parameterInfos: network.parameters.infos,
      stateInfos: network.state.infos, parameters: network.parameters.allValues,
      state: network.state.allValues, optimizer: optimizer.state)
  }

  /// Writes `checkpoint.bin` and `log.csv` into the run directory (if any).
  public func save() throws {
    guard let runDirectory else { return }
    try checkpoint().write(to: runDirectory.appendingPathComponent("checkpoint.bin"))
    let csv = ([EpochRecord.csvHeader] + progress.history.map(\.csvRow)).joined(separator: "\n")
    try Data((csv + "\n").utf8).write(to: runDirectory.appendingPathComponent("log.csv"))
  }

  /// Whether every epoch is done.
  public var isFinished: Bool { progress.epochsCompleted >= config.epochs }

  /// Trains until the last epoch or until `stopAfterSteps` steps in this call (then saves a
  /// checkpoint mid-epoch). Returns true when the run is finished.
  @discardableResult
  public func run(
    stopAfterSteps: Int? = nil, reportInterval: Double = 5,
    report: (TrainingEvent) -> Void = { _ in }
  ) throws -> Bool {
    let sessionStart = Date()
    var sessionSteps = 0
    var lastReport = Date()
    let crop = config.augmentation.cropSize
    while progress.epochsCompleted < config.epochs {
      let epoch = progress.epochsCompleted
      let order = epochOrder(epoch)
      while progress.stepInEpoch < stepsPerEpoch {
        if let stopAfterSteps, sessionSteps >= stopAfterSteps {
          try save()
          return false
        }
        let stepStart = Date()
        let first = progress.stepInEpoch * config.batchSize
        let indices = Array(order[first..<(first + config.batchSize)])
        let labels = indices.map { train.labels[$0] }
        let stepSeed = SplitMix64.mix(config.seed ^ 0x5EED_0000_0000 &+ UInt64(progress.globalStep))
        let fill = augmentingFill(indices: indices, seed: stepSeed, crop: crop)
        let (stepLoss, correct) = try replicas.trainStep(
          batch: indices.count, labels: labels, loss: loss, seed: stepSeed, fill: fill)
        guard stepLoss.isFinite else {
          throw TrainingError.diverged(
            "loss is \(stepLoss) at step \(progress.globalStep); lower the learning rate")
        }
        let rate = schedule.rate(at: progress.globalStep)
        optimizer.step(
          parameters: network.parameters, gradients: replicas.gradients,
          learningRate: Float(rate))
        progress.globalStep += 1
        progress.stepInEpoch += 1
        progress.epochLossSum += stepLoss
        progress.epochCorrect += correct
        progress.epochImages += indices.count
        progress.epochSeconds += Date().timeIntervalSince(stepStart)
        sessionSteps += 1
        if Date().timeIntervalSince(lastReport) >= reportInterval
          || progress.stepInEpoch == stepsPerEpoch
        {
          lastReport = Date()
          let elapsed = Date().timeIntervalSince(sessionStart)
          let perStep = elapsed / Double(sessionSteps)
          let remaining = stepsPerEpoch * config.epochs - progress.globalStep
          report(
            .step(
              StepReport(
                epoch: epoch + 1, epochs: config.epochs, step: progress.stepInEpoch,
                stepsPerEpoch: stepsPerEpoch,
                imagesPerSecond: Double(sessionSteps * config.batchSize) / elapsed,
                loss: progress.epochLossSum / Double(progress.stepInEpoch),
                learningRate: rate, etaSeconds: perStep * Double(remaining))))
        }
      }
      // End of epoch: validation, record, checkpoint.
      let validationStart = Date()
      let evaluation = try validation.map { try evaluate($0) }
      progress.epochSeconds += Date().timeIntervalSince(validationStart)
      let record = EpochRecord(
        epoch: epoch + 1, trainLoss: progress.epochLossSum / Double(max(1, stepsPerEpoch)),
        trainAccuracy: Double(progress.epochCorrect) / Double(max(1, progress.epochImages)),
        validationLoss: evaluation?.loss, validationAccuracy: evaluation?.report.accuracy,
        validationMacroF1: evaluation?.report.macroF1,
        learningRate: schedule.rate(at: max(0, progress.globalStep - 1)),
        seconds: progress.epochSeconds)
      progress.history.append(record)
      progress.epochsCompleted += 1
      progress.stepInEpoch = 0
      progress.epochLossSum = 0
      progress.epochCorrect = 0
      progress.epochImages = 0
      progress.epochSeconds = 0
      try save()
      report(.epoch(record, evaluation?.report))
    }
    return true
  }

  /// Evaluation-mode predictions on the centre crops of `images`.
  /// With `flip`, the logits are the mean of those of the crop and its mirror image.
  public func evaluate(_ images: TrainingImages, flip: Bool = false) throws -> Evaluation {
    try Self.evaluate(
      images, replicas: replicas, crop: config.augmentation.cropSize,
      normalization: normalization, flip: flip)
  }

  /// Evaluation of `images` with any replicas (centre crops, normalised).
  static func evaluate(
    _ images: TrainingImages, replicas: Replicas, crop: Int, normalization: Normalization,
    flip: Bool
  ) throws -> Evaluation {
    let logits = try Self.logits(
      images, replicas: replicas, crop: crop, normalization: normalization, flip: flip)
    return try Evaluation(logits: logits, labels: images.labels, classes: images.classes)
  }

  /// Evaluation-mode logits of the centre crops of `images`, `count × classes`; with `flip`
  /// the mean of the logits of each crop and its left–right mirror.
  static func logits(
    _ images: TrainingImages, replicas: Replicas, crop: Int, normalization: Normalization,
    flip: Bool
  ) throws -> [Float] {
    try replicas.centerCropLogits(
      pixels: images.pixels, count: images.count, width: images.width, height: images.height,
      crop: crop, normalization: normalization, flip: flip)
  }

  /// The image order of `epoch`: a permutation, or class-balanced draws with replacement.
  func epochOrder(_ epoch: Int) -> [Int] {
    var rng = Xoshiro256(seed: SplitMix64.mix(config.seed ^ 0xE90C_0000 &+ UInt64(epoch)))
    guard let samplingWeights else {
      var order = Array(0..<train.count)
      rng.shuffle(&order)
      return order
    }
    var cumulative = [Double]()
    cumulative.reserveCapacity(train.count)
    var total = 0.0
    for label in train.labels {
      total += samplingWeights[label]
      cumulative.append(total)
    }
    return (0..<train.count).map { _ in
      let target = rng.nextDouble() * total
      var lo = 0
      var hi = cumulative.count - 1
      while lo < hi {
        let mid = (lo + hi) / 2
        if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
      }
      return lo
    }
  }

  private func augmentingFill(indices: [Int], seed: UInt64, crop: Int)
    -> @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void
  {
    let pixels = train.pixels
    let (w, h) = (train.width, train.height)
    let augmentation = config.augmentation
    let normalization = normalization
    return { range, out in
      pixels.withUnsafeBufferPointer { src in
        for j in range {
          var rng = Xoshiro256(seed: SplitMix64.mix(seed &+ UInt64(j) &* 0x9E37_79B9_7F4A_7C15))
          Augmenter.augment(
            src.baseAddress! + indices[j] * w * h, width: w, height: h, config: augmentation,
            normalization: normalization, rng: &rng,
            into: out + (j - range.lowerBound) * crop * crop)
        }
      }
    }
  }
}
