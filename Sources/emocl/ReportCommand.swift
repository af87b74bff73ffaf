import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Reporting

/// `emocl report`: one HTML page comparing the shipped models, with its charts as files.
struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write an HTML report comparing the models: metrics, confusion matrices, pictures.",
    discussion: """
      Evaluates every model (by default all in the repository's Models/, or in --models DIR) on \
      --val, also without the val images that duplicate train images (from --duplicates, by \
      default duplicates.txt beside the val folder), and writes OUT/report.html: one \
      self-contained page (inline CSS and SVG, PNGs as data: URIs) with the results table, each \
      model's confusion matrices, logistic-regression weight images, eigenfaces and explained \
      variance where the model has them, the class distribution of --train and --val, and the \
      intended use and limitations. The charts and pictures are also written as separate \
      SVG/PNG files, and the numbers as results.json.
      """
  )

  @Option(help: "Training folder (its class distribution is shown).")
  var train: String

  @Option(help: "Validation folder every model is evaluated on.")
  var val: String

  @Option(help: "Folder the report is written to (created when missing).")
  var out: String

  @Option(help: "Report the models in this folder (instead of the repository's Models/).")
  var models: String?

  @Option(
    name: .customLong("model"),
    help: ArgumentHelp("Report only this model (name or path; repeatable).", valueName: "name"))
  var selected: [String] = []

  @Option(
    help: ArgumentHelp(
      "FER2013 duplicates list (default: duplicates.txt beside the val folder, when present).",
      valueName: "file"))
  var duplicates: String?

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
    let options = DatasetOptions(skipBadFiles: skipBadFiles)
    let trainURL = URL(fileURLWithPath: train)
    let valURL = URL(fileURLWithPath: val)
    let trainImages = try LabeledImages.load(directory: trainURL, options: options)
    let valImages = try LabeledImages.load(directory: valURL, options: options)
    print("train: \(trainImages.count) images; val: \(valImages.count) images")

    var keep: Set<String>?
    var summary: String?
    var unavailable: String?
    let listURL =
      duplicates.map { URL(fileURLWithPath: $0) }
      ?? valURL.standardizedFileURL.deletingLastPathComponent()
      .appendingPathComponent("duplicates.txt")
    if duplicates != nil || FileManager.default.fileExists(atPath: listURL.path) {
      do {
        let copies = try SplitCopies(
          removingFrom: valImages, split: valURL.standardizedFileURL.lastPathComponent,
          duplicates: FERDuplicates.load(file: listURL))
        keep = Set(copies.images.names)
        summary = copies.summary
        print("without duplicates: \(copies.summary)")
      } catch  where duplicates == nil {
        unavailable = "\(listURL.path) does not apply: \(error)"
      }
    } else {
      unavailable = "no duplicates list at \(listURL.path) (pass --duplicates FILE)"
    }

    let (allURLs, source) = try modelFiles()
    // Face detectors (kind mtcnn) share the models folder but are not emotion models.
    let urls = allURLs.filter { (try? ModelFile.read(from: $0))?.card.kind != "mtcnn" }
    if urls.isEmpty { print("no models found in \(source)") }
    var entries: [ReportModel] = []
    for url in urls {
      let entry = ReportModel.evaluate(
        modelAt: url, validation: valImages, keeping: keep, batchSize: batchSize)
      if let problem = entry.problem {
        print("\(entry.name): not evaluated: \(problem)")
      } else if let report = entry.validation {
        print(
          String(
            format: "%@: accuracy %.4f, macro F1 %.4f (%.1f s)", entry.name, report.accuracy,
            report.macroF1, entry.evaluationSeconds ?? 0))
      }
      entries.append(entry)
    }

    let report = EvaluationReport(
      train: ReportDataSet(title: "train", path: train, counts: trainImages.counts()),
      validation: ReportDataSet(title: "val", path: val, counts: valImages.counts()),
      duplicatesSummary: summary, duplicatesUnavailable: unavailable, models: entries,
      modelsSource: source, command: commandLine)
    let document = try report.render()
    let page = try document.write(to: URL(fileURLWithPath: out))
    print("wrote \(page.path) and \(document.files.count) more files in \(out)")
  }

  /// The model files to report and a description of where they came from.
  private func modelFiles() throws -> ([URL], String) {
    let locator = ModelLocator(modelsDirectory: models.map { URL(fileURLWithPath: $0) })
    if !selected.isEmpty {
      return (try selected.map { try locator.locate($0) }, "the --model options")
    }
    if let models {
      let directory = URL(fileURLWithPath: models).standardizedFileURL
      let names: [String]
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      } catch {
        throw ValidationError(
          "cannot list the models folder \(models): \(error.localizedDescription)")
      }
      let files = names.filter { $0.hasSuffix(".\(ModelLocator.fileExtension)") }.sorted()
      return (files.map { directory.appendingPathComponent($0) }, directory.path)
    }
    let directories = locator.searchDirectories.map(\.path)
    let source = directories.isEmpty ? "no models directory" : directories.joined(separator: ", ")
    return (try locator.availableModels().map { try locator.locate($0) }, source)
  }
}
