import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Pipeline
import Tensor

/// `emocl quantize`: gives a `cnn` model its 8-bit form. It measures the ranges its bytes need
/// on training images (`architecture.int8` in the card; the tensors are unchanged) and, with
/// `--evaluate`, scores the 8-bit and float models on a labelled folder and records both in
/// the card beside the ranges, so the card says what runs where 8 bits do.
struct Quantize: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quantize",
    abstract: "Give a CNN model its 8-bit form (activation ranges measured on training images).",
    discussion: """
      The ranges are each channel's largest activation, over the chosen training images and \
      their mirror images, in the float network. Use training images, never the images the \
      model is judged on. The 8-bit network runs on CPUs with AVX-512 VNNI (emocl info says \
      whether this one has it); --evaluate needs one.
      """)

  @Option(
    help: "Model name (looked up in --models, $EMOCL_MODELS, the repository's Models/) or path.")
  var model: String = "cnn"
  @Option(help: "Directory searched first for model names.") var models: String?
  @Option(help: "Labelled training folder (<class>/<image>) to measure the ranges on.")
  var data: String
  @Option(help: "Training images to measure on (a stratified random choice).") var images = 2000
  @Option(help: "Seed of the choice.") var seed: UInt64 = 1
  @Option(help: "Labelled folder to score the 8-bit and float models on, recorded in the card.")
  var evaluate: String?
  @Option(help: "Where to write the model (default: over the model file).") var output: String?

  func validate() throws {
    guard (1...100_000).contains(images) else {
      throw ValidationError("--images must be 1...100000")
    }
  }

  func run() throws {
    ThreadPolicy(blasThreads: 1).configureProcess()
    let locator = ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) })
    let url = try locator.locate(model)
    let file = try ModelFile.read(from: url)
    try file.requireKind(.cnn)
    if evaluate != nil, !Int8Network.isSupported {
      throw ValidationError(
        "--evaluate: this CPU has no AVX-512 VNNI, so the 8-bit model cannot run here")
    }
    // CNNQuantizer refuses images of another size than the model's.
    let training = try LabeledImages.load(directory: URL(fileURLWithPath: data))
    let chosen = try CNNQuantizer.sample(training, count: images, seed: seed)
    let quantizer = CNNQuantizer(
      calibration: chosen, calibrationDescription: "images of \(data) (seed \(seed))",
      evaluation: try evaluate.map {
        (try LabeledImages.load(directory: URL(fileURLWithPath: $0)), $0)
      })
    let result = try quantizer.quantize(
      file, workers: max(1, min(2, ProcessInfo.processInfo.activeProcessorCount)))
    print("measured the 8-bit ranges on \(chosen.count) images of \(data)")
    if let float = result.floatReport, let int8 = result.int8Report, let evaluate {
      print(
        String(
          format: "%@ (%d images): accuracy float %.2f%%, int8 %.2f%% (%+.2f points)", evaluate,
          int8.n, 100 * float.accuracy, 100 * int8.accuracy,
          100 * (int8.accuracy - float.accuracy)))
    }
    let target = output.map { URL(fileURLWithPath: $0) } ?? url
    try result.file.write(to: target, precision: .float32)
    print("wrote \(target.path)")
  }
}
