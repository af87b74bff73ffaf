import ArgumentParser
import Classical
import Datasets
import Foundation
import Tensor

/// Options every classical `train` subcommand shares: data, validation, augmentation, output.
struct ClassicalTrainingOptions: ParsableArguments {
  @Option(help: "Training folder holding one subfolder per class (angry … surprise).")
  var data: String

  @Option(help: "Validation folder: per-class recall is printed and stored in the model card.")
  var val: String?

  @Option(
    help: ArgumentHelp(
      "Mirror-augment the k classes with the lowest validation recall, then retrain.",
      discussion: "Needs --val. Prints per-class recall before and after."))
  var augmentWorst: Int = 0

  @Option(help: "Where to write the model (.safetensors).")
  var out: String

  @Option(help: "Threads (BLAS and concurrent sub-problems).")
  var threads: Int = 2

  @Flag(help: "Skip unreadable or undecodable images instead of failing.")
  var skipBadFiles = false

  func validate() throws {
    guard augmentWorst >= 0, augmentWorst < LabeledImages.emotionClasses.count else {
      throw ValidationError("--augment-worst must be in 0..<\(LabeledImages.emotionClasses.count)")
    }
    guard augmentWorst == 0 || val != nil else {
      throw ValidationError("--augment-worst needs --val to find the worst classes")
    }
    guard threads >= 1, threads <= 256 else { throw ValidationError("--threads must be 1...256") }
  }

  func load(_ directory: String) throws -> LabeledImages {
    try LabeledImages.load(
      directory: URL(fileURLWithPath: directory),
      options: DatasetOptions(skipBadFiles: skipBadFiles))
  }
}

/// Pixel rows of a dataset scaled to 0…1, the input `InputSpec.fer2013` describes.
func classicalFeatures(_ images: LabeledImages) -> Tensor {
  Tensor(shape: [images.count, images.imageByteCount], storage: images.floatPixels())
}

/// Seconds in a duration.
func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Trains with `fit`, optionally evaluates on validation data, mirror-augments the worst classes
/// and retrains, then writes the model file with its card. `describe` prints fit details.
func runClassicalTraining(
  _ options: ClassicalTrainingOptions, command: String,
  fit: (LabeledImages) throws -> (ClassicalPipeline, ClassicalPipeline.FitReport),
  describe: (ClassicalPipeline, ClassicalPipeline.FitReport) -> Void
) throws {
  let clock = ContinuousClock()
  let start = clock.now
  var train = try options.load(options.data)
  let validation = try options.val.map { try options.load($0) }
  print("train: \(train.count) images of \(train.width)x\(train.height) from \(options.data)")
  if let validation { print("val: \(validation.count) images from \(options.val!)") }

  func trainAndReport(_ images: LabeledImages) throws -> (ClassicalPipeline, ClassificationReport?)
  {
    let fitStart = clock.now
    let (fitted, report) = try fit(images)
    print(String(format: "fit: %.1f s", seconds(clock.now - fitStart)))
    // Metrics are those of the weights as written (support vectors in Float16).
    let model = try fitted.asStored()
    describe(model, report)
    guard let validation else { return (model, nil) }
    let predicted = try model.predict(classicalFeatures(validation))
    let metrics = try ClassificationReport(
      classes: LabeledImages.emotionClasses, truth: validation.labels, predicted: predicted)
    print(String(format: "val accuracy: %.4f", metrics.accuracy))
    return (model, metrics)
  }

  var (model, metrics) = try trainAndReport(train)
  if let before = metrics {
    print(before.table(), terminator: "")
    if options.augmentWorst > 0 {
      let recalls = before.scoresInClassOrder.map(\.recall)
      let worst = recalls.indices.sorted { recalls[$0] < recalls[$1] }.prefix(options.augmentWorst)
      let names = worst.map { LabeledImages.emotionClasses[$0] }
      let copies = try train.mirrored(classes: names)
      train = try train.appending(copies)
      print(
        "augment: \(copies.count) mirrored images of \(names.joined(separator: ", ")); "
          + "retraining on \(train.count)")
      let retrained = try trainAndReport(train)
      model = retrained.0
      let after = retrained.1!
      print("per-class recall before → after augmenting \(names.joined(separator: ", ")):")
      for (k, name) in LabeledImages.emotionClasses.enumerated() {
        let (b, a) = (recalls[k], after.scoresInClassOrder[k].recall)
        let mark = names.contains(name) ? "  (augmented)" : ""
        print(String(format: "  %-9@ %.4f → %.4f (%+.4f)", name, b, a, a - b) + mark)
      }
      print(String(format: "accuracy: %.4f → %.4f", before.accuracy, after.accuracy))
      metrics = after
    }
  }
  let training = TrainingInfo(
    data: options.data, command: command, seconds: seconds(clock.now - start))
  let file = model.modelFile(
    classes: LabeledImages.emotionClasses, training: training, metrics: metrics)
  let url = URL(fileURLWithPath: options.out)
  try file.write(to: url, precision: model.storagePrecision)
  print("wrote \(url.path)")
}

/// The command line as typed, for the model card, with the program named `emocl` wherever the
/// binary lives (so the card shows a command a reader can rerun).
var commandLine: String { (["emocl"] + CommandLine.arguments.dropFirst()).joined(separator: " ") }
