import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Pipeline
import Reporting
import Tensor
import Training

/// `emocl train cnn`: train the convolutional network, with checkpoints, resume, a CSV log
/// and learning curves in `~/.cache/emocl/runs/NAME/`.
struct TrainCNN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn",
    abstract: "Train a CNN (VGG-style by default) on 48×48 grey faces.",
    discussion: """
      Progress goes to stderr. After every epoch the run folder \
      (~/.cache/emocl/runs/NAME, or $EMOCL_CACHE/runs/NAME) gets checkpoint.bin, log.csv, \
      loss.svg and accuracy.svg. --resume NAME continues a stopped run exactly (same weights \
      as an uninterrupted run with the same --threads); the run's saved configuration is used \
      and training flags are ignored; --data, --val and --out default to the run's own. When \
      all epochs are done, a temperature is fitted on \
      the validation set and the model is written to --out.
      """
  )

  @Option(help: "Training image folder (<dir>/<class>/<image>).") var data: String?
  @Option(help: "Validation image folder.") var val: String?
  @Option(help: "Where to write the finished model (.safetensors).") var out: String?
  @Option(help: "Epochs.") var epochs = 60
  @Option(help: "Continue the run with this name.") var resume: String?
  @Option(name: .customLong("run"), help: "Name of a new run (default: cnn-<date>-<time>).")
  var runName: String?
  @Option(help: "Images per step.") var batch = 64
  @Option(help: "Peak learning rate.") var lr = 0.05
  @Option(help: "sgd (Nesterov momentum) or adamw.") var optimizer = "sgd"
  @Option(help: "Weight decay (conv and dense weights only).") var weightDecay: Float = 5e-4
  @Option(help: "SGD momentum.") var momentum: Float = 0.9
  @Option(help: "Warm-up epochs before the cosine decay.") var warmup = 2.0
  @Option(help: "Label smoothing.") var labelSmoothing: Float = 0.1
  @Option(help: "Class balance: none, loss (weighted loss) or sampling.") var balance = "loss"
  @Option(help: "Class-balance power (1 = full inverse frequency).") var balancePower = 0.5
  @Option(help: "Channels of each VGG stage.") var widths = "32,64,128,256"
  @Option(help: "Hidden units of the dense layer.") var hidden = 256
  @Option(help: "Dropout after the convolutional trunk.") var dropout: Float = 0.3
  @Option(help: "Dropout before the last dense layer.") var headDropout: Float = 0.5
  @Option(help: "Side of the crops fed to the network.") var crop = 44
  @Option(help: "Maximum rotation in degrees.") var rotation = 10.0
  @Option(help: "Probability of random erasing.") var erasing = 0.25
  @Flag(help: "Plain random crops only (no flip, rotation, scale or erasing).") var noAugment =
    false
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: "Worker threads (each batch is split between them).") var threads = 2
  @Option(help: "Stop (with a checkpoint) after this many steps in this session.")
  var stopAfterSteps: Int?
  @Option(help: "im2col columns per GEMM chunk (speed only).") var columnTarget = 2048
  @Flag(help: "Neither read nor write the decoded-pixel cache.") var noCache = false

  func validate() throws {
    // Checked here, before any data is loaded, like the other options.
    guard (1...64).contains(threads) else {
      throw ValidationError("--threads: expected 1...64, got \(threads)")
    }
  }

  func run() throws {
    // Each worker keeps a core busy with its own GEMMs.
    ThreadPolicy.workers(threads).configureProcess()
    let name = resume ?? runName ?? Self.defaultRunName()
    let directory = try RunDirectory.url(for: name)
    let sources = try RunSources.resolve(
      given: RunSources(data: data, val: val, out: out), resuming: resume != nil,
      in: directory)
    let options = DatasetOptions(useCache: !noCache)
    let started = Date()
    let trainSet = try LabeledImages.load(
      directory: URL(fileURLWithPath: sources.data!), options: options)
    let valSet = try sources.val.map {
      try LabeledImages.load(directory: URL(fileURLWithPath: $0), options: options)
    }
    let train = try TrainingImages(trainSet)
    let validation = try valSet.map { try TrainingImages($0) }
    log(
      "loaded \(train.count) training and \(validation?.count ?? 0) validation images "
        + String(format: "in %.1f s", Date().timeIntervalSince(started)))

    let checkpointFile = directory.appendingPathComponent("checkpoint.bin")
    let trainer: CNNTrainer
    if resume != nil {
      trainer = try CNNTrainer.resume(runDirectory: directory, train: train, validation: validation)
      log(
        "resuming run \(name) at epoch \(trainer.progress.epochsCompleted + 1), step \(trainer.progress.globalStep)"
      )
    } else {
      guard !FileManager.default.fileExists(atPath: checkpointFile.path) else {
        throw ValidationError(
          "run \(name) already exists in \(directory.path); continue it with --resume \(name) or pick another --run"
        )
      }
      trainer = try CNNTrainer(
        config: try configuration(), train: train, validation: validation, runDirectory: directory)
      log(
        "run \(name) in \(directory.path): \(trainer.network.parameters.count) parameters, \(trainer.stepsPerEpoch) steps per epoch"
      )
    }
    let commandFile = directory.appendingPathComponent("command.txt")
    let previous = (try? String(contentsOf: commandFile, encoding: .utf8)) ?? ""
    try Data((previous + commandLine + "\n").utf8).write(to: commandFile)

    try sources.save(in: directory)

    let finished = try trainer.run(stopAfterSteps: stopAfterSteps) { event in
      switch event {
      case .step(let s):
        log(
          String(
            format: "epoch %d/%d step %d/%d | %.1f img/s | loss %.4f | lr %.4g | ETA %@",
            s.epoch, s.epochs, s.step, s.stepsPerEpoch, s.imagesPerSecond, s.loss,
            s.learningRate, Self.duration(s.etaSeconds)))
      case .epoch(let record, _):
        var line = String(
          format: "epoch %d done: train loss %.4f acc %.4f", record.epoch, record.trainLoss,
          record.trainAccuracy)
        if let l = record.validationLoss, let a = record.validationAccuracy,
          let f = record.validationMacroF1
        {
          line += String(format: " | val loss %.4f acc %.4f macro-F1 %.4f", l, a, f)
        }
        line += String(format: " | %.0f s", record.seconds)
        log(line)
        Self.writeCharts(trainer.progress.history, to: directory)
      }
    }
    guard finished else {
      log("stopped after \(stopAfterSteps ?? 0) steps; continue with --resume \(name)")
      return
    }
    try finish(
      trainer: trainer, validation: validation, directory: directory, sources: sources,
      sets: (trainSet, valSet))
  }

  /// Calibrates and assembles the model file (`CNNTrainer.modelFile`), gives it its 8-bit form
  /// (`CNNQuantizer`: ranges from 2,000 of the training images, and the 8-bit evaluation on the
  /// validation images where this CPU runs it), and writes it.
  private func finish(
    trainer: CNNTrainer, validation: TrainingImages?, directory: URL, sources: RunSources,
    sets: (train: LabeledImages, val: LabeledImages?)
  ) throws {
    let commands =
      (try? String(contentsOf: directory.appendingPathComponent("command.txt"), encoding: .utf8))?
      .split(separator: "\n").map(String.init) ?? []
    var file = try trainer.modelFile(
      validation: validation, data: TrainingCommand.path(sources.data!),
      command: commands.joined(separator: " && "), log: log)
    do {
      let quantizer = CNNQuantizer(
        calibration: try CNNQuantizer.sample(sets.train, count: 2000, seed: 1),
        calibrationDescription: "images of \(TrainingCommand.path(sources.data!)) (seed 1)",
        evaluation: sets.val.map { ($0, TrainingCommand.path(sources.val!)) })
      let result = try quantizer.quantize(file, workers: threads)
      file = result.file
      if let float = result.floatReport, let int8 = result.int8Report {
        log(
          String(
            format: "8-bit form: validation accuracy %.4f (float %.4f)", int8.accuracy,
            float.accuracy))
      } else {
        log("8-bit form: ranges written (not evaluated: no validation set or no AVX-512 VNNI)")
      }
    } catch let error as NetworkError {
      log("no 8-bit form: \(error)")
    }
    let url = URL(fileURLWithPath: sources.out!)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try file.write(to: url, precision: .float32)
    log("wrote \(url.path)")
  }

  private func configuration() throws -> CNNTrainingConfig {
    let stageWidths = widths.split(separator: ",").compactMap {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    guard !stageWidths.isEmpty, stageWidths.count == widths.split(separator: ",").count else {
      throw ValidationError("--widths must be comma-separated integers, got \(widths)")
    }
    guard let kind = OptimizerConfig.Kind(rawValue: optimizer) else {
      throw ValidationError("--optimizer must be sgd or adamw, got \(optimizer)")
    }
    guard let mode = ClassBalance.Mode(rawValue: balance) else {
      throw ValidationError("--balance must be none, loss or sampling, got \(balance)")
    }
    let augmentation =
      noAugment
      ? AugmentationConfig.cropOnly(crop)
      : AugmentationConfig(
        cropSize: crop, maxRotationDegrees: rotation, erasingProbability: erasing)
    return CNNTrainingConfig(
      network: .vgg(
        input: (1, crop, crop), stageWidths: stageWidths, hidden: hidden, classes: 7,
        trunkDropout: dropout, headDropout: headDropout),
      epochs: epochs, batchSize: batch,
      optimizer: OptimizerConfig(kind: kind, momentum: momentum, weightDecay: weightDecay),
      learningRate: lr, warmupEpochs: warmup, labelSmoothing: labelSmoothing,
      classBalance: ClassBalance(mode: mode, power: mode == .none ? 0 : balancePower),
      augmentation: augmentation, seed: seed, workers: threads, columnTarget: columnTarget)
  }

  static func defaultRunName() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    formatter.timeZone = TimeZone(identifier: "UTC")
    return "cnn-" + formatter.string(from: Date())
  }

  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds)
    return s >= 3600
      ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
      : "\(s / 60)m\(String(format: "%02d", s % 60))s"
  }

  /// Loss and accuracy curves of the finished epochs (skipped silently if a chart fails: the
  /// CSV log has the same numbers).
  static func writeCharts(_ history: [EpochRecord], to directory: URL) {
    let epochs = history.map { Double($0.epoch) }
    var loss = [LineChart.Series(name: "train", x: epochs, y: history.map(\.trainLoss))]
    var accuracy = [LineChart.Series(name: "train", x: epochs, y: history.map(\.trainAccuracy))]
    if history.contains(where: { $0.validationLoss != nil }) {
      loss.append(
        LineChart.Series(name: "val", x: epochs, y: history.map { $0.validationLoss ?? .nan }))
      accuracy.append(
        LineChart.Series(name: "val", x: epochs, y: history.map { $0.validationAccuracy ?? .nan }))
      accuracy.append(
        LineChart.Series(
          name: "val macro-F1", x: epochs, y: history.map { $0.validationMacroF1 ?? .nan }))
    }
    let charts = [
      (
        "loss.svg",
        LineChart(title: "CNN loss", xLabel: "epoch", yLabel: "cross-entropy", series: loss)
      ),
      (
        "accuracy.svg",
        LineChart(
          title: "CNN accuracy", xLabel: "epoch", yLabel: "accuracy", series: accuracy,
          yRange: 0...1)
      ),
    ]
    for (file, chart) in charts {
      if let svg = try? chart.svg() {
        try? Data(svg.utf8).write(to: directory.appendingPathComponent(file))
      }
    }
  }
}

/// A line on stderr (progress and notes; stdout stays free for results).
private func log(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
