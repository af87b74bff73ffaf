import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Tensor

/// `emocl evaluate`: a model's metrics and confusion matrix on a labelled image folder.
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score a model on a labelled image folder: per-class metrics and confusion matrix.",
    discussion: """
      Every image of --data (<dir>/<class>/<image>) is classified, in batches, by the model's own \
      decision rule (for a one-vs-one SVM its vote, as in the model card's metrics). Text output \
      is the metrics table followed by the confusion matrix (rows = true, columns = predicted); \
      JSON output is the metrics object (accuracy, macro and weighted averages, per_class, \
      confusion), with notes on stderr. --without-duplicates takes FER2013's duplicates.txt and \
      leaves out the images of this folder (its name is the split, e.g. val) that are byte \
      copies of images in another split (e.g. train).
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Option(
    help: "Model name (looked up in --models, $EMOCL_MODELS, the repository's Models/) or path.")
  var model: String = "cnn"

  @Option(help: "Directory searched first for model names.")
  var models: String?

  @Option(help: "Labelled image folder holding one subfolder per class (angry … surprise).")
  var data: String

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(
    help: ArgumentHelp(
      "Leave out images that this duplicates list (FER2013's duplicates.txt) marks as byte copies of another split's images.",
      valueName: "file"))
  var withoutDuplicates: String?

  @Flag(help: "Test-time augmentation: average each image's probabilities with its mirror image's.")
  var tta = false

  @Flag(name: .customLong("float-cnn"), help: Predict.floatCNNHelp) var floatCNN = false

  @Option(help: "Images per classifier call.")
  var batchSize: Int = 256

  @Flag(help: "Skip unreadable or undecodable images instead of failing.")
  var skipBadFiles = false

  func validate() throws {
    guard batchSize >= 1, batchSize <= 65536 else {
      throw ValidationError("--batch-size must be 1...65536")
    }
  }

  func run() throws {
    let locator = ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) })
    let url = try locator.locate(model)
    let file = try ModelFile.read(from: url)
    let name = url.deletingPathExtension().lastPathComponent
    let classifier = try file.emotionClassifier(name: name, cnn: CNNOptions(int8: !floatCNN))
    // A CNN's replicas are the workers: OpenBLAS runs single-threaded under them.
    if file.card.kind == .cnn { ThreadPolicy(blasThreads: 1).configureProcess() }

    let folder = URL(fileURLWithPath: data)
    let load = try LabeledImages.loadWithReport(
      directory: folder, options: DatasetOptions(skipBadFiles: skipBadFiles))
    var notes = [
      "model: \(name) (kind \(file.card.kind), \(url.path))",
      "data: \(data): \(load.images.count) images of \(load.images.width)x\(load.images.height)",
    ]
    if !load.skipped.isEmpty { notes.append("skipped \(load.skipped.count) unreadable images") }
    var images = load.images
    if let withoutDuplicates {
      let duplicates = try FERDuplicates.load(file: URL(fileURLWithPath: withoutDuplicates))
      let copies = try SplitCopies(
        removingFrom: images, split: folder.standardizedFileURL.lastPathComponent,
        duplicates: duplicates)
      guard copies.images.count > 0 else {
        throw EvaluationError.noImages("every image of \(data) is a duplicate")
      }
      images = copies.images
      notes.append("without duplicates: \(copies.summary)")
    }
    if let cnn = classifier as? CNNEmotionClassifier {
      notes.append(
        "precision: " + (cnn.model.int8Network == nil ? "float32" : "int8 (AVX-512 VNNI)"))
    }
    if tta { notes.append("test-time augmentation: mean of image and mirror probabilities") }

    let clock = ContinuousClock()
    let start = clock.now
    let evaluator = ModelEvaluator(
      classifier: classifier, batchSize: batchSize, mirrorAveraging: tta)
    let report = try evaluator.evaluate(images)
    let elapsed = clock.now - start
    notes.append(
      String(format: "evaluated %d images in %.2f s", images.count, seconds(elapsed)))

    switch format {
    case .json:
      for note in notes { FileHandle.standardError.write(Data("emocl: \(note)\n".utf8)) }
      print(String(decoding: report.jsonData(), as: UTF8.self))
    case .text:
      for note in notes { print(note) }
      print()
      print(report.table(), terminator: "")
    }
  }
}
