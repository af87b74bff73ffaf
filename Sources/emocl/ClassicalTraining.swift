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

/// Seconds in a duration.
func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Loads the data, runs `ClassicalTrainingRecipe` (fit, validation metrics, optional
/// mirror-augmented retraining of the worst classes) printing its progress, and writes the
/// model file. `describe` prints fit details.
func runClassicalTraining(
  _ options: ClassicalTrainingOptions, command: String,
  fit: @escaping (LabeledImages) throws -> (ClassicalPipeline, ClassicalPipeline.FitReport),
  describe: @escaping (ClassicalPipeline, ClassicalPipeline.FitReport) -> Void
) throws {
  let start = ContinuousClock.now
  let train = try options.load(options.data)
  let validation = try options.val.map { try options.load($0) }
  print("train: \(train.count) images of \(train.width)x\(train.height) from \(options.data)")
  if let validation { print("val: \(validation.count) images from \(options.val!)") }
  let recipe = ClassicalTrainingRecipe(
    augmentWorst: options.augmentWorst, fit: fit, describe: describe, log: { print($0) })
  let result = try recipe.run(
    train: train, validation: validation, data: TrainingCommand.path(options.data),
    command: command, started: start)
  let url = URL(fileURLWithPath: options.out)
  try result.file.write(to: url, precision: result.model.storagePrecision)
  print("wrote \(url.path)")
}

/// The command line as typed, for the model card, with the program named `emocl` wherever the
/// binary lives and absolute paths as a user would type them (`TrainingCommand`), so the card
/// shows a command a reader can rerun.
var commandLine: String { TrainingCommand.portable(CommandLine.arguments) }
