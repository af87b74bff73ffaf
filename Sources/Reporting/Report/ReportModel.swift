import Classical
import Datasets
import Foundation
import Pipeline

/// One model's facts for an `EvaluationReport`: its card, its metrics on the validation set
/// (all of it and without the images that duplicate training images), or why it could not be
/// evaluated.
public struct ReportModel: Sendable {
  /// The model's name (its file name without extension).
  public var name: String
  /// The model file.
  public var path: String
  /// The file's size in bytes, when it could be read.
  public var fileSize: Int?
  /// The card, when the file could be read.
  public var card: ModelCard?
  /// The fitted classical pipeline, for a `logreg` or `svm` model (its pictures need it).
  public var pipeline: ClassicalPipeline?
  /// Metrics on the whole validation set.
  public var validation: ClassificationReport?
  /// Metrics on the validation set without the images that are copies of training images.
  public var validationWithoutDuplicates: ClassificationReport?
  /// Wall-clock seconds the classification of the validation set took.
  public var evaluationSeconds: Double?
  /// Why the model could not be read or evaluated; nil when it was.
  public var problem: String?

  /// A model entry from parts (see `evaluate(modelAt:…)` for the usual way).
  public init(
    name: String, path: String, fileSize: Int? = nil, card: ModelCard? = nil,
    pipeline: ClassicalPipeline? = nil, validation: ClassificationReport? = nil,
    validationWithoutDuplicates: ClassificationReport? = nil, evaluationSeconds: Double? = nil,
    problem: String? = nil
  ) {
    self.name = name
    self.path = path
    self.fileSize = fileSize
    self.card = card
    self.pipeline = pipeline
    self.validation = validation
    self.validationWithoutDuplicates = validationWithoutDuplicates
    self.evaluationSeconds = evaluationSeconds
    self.problem = problem
  }

  /// Reads the model at `url` and evaluates it on `validation` with `ModelEvaluator` (the
  /// model's own decision rule). `keeping`, when given, names the images (`class/file` keys)
  /// of the duplicate-free subset: its metrics come from the same predictions. Never throws: a
  /// file that cannot be read or a model that cannot classify gives an entry with `problem`
  /// set (and the card when it was readable), so one bad file does not sink the report.
  public static func evaluate(
    modelAt url: URL, validation: LabeledImages, keeping subset: Set<String>? = nil,
    batchSize: Int = 256
  ) -> ReportModel {
    var entry = ReportModel(
      name: url.deletingPathExtension().lastPathComponent, path: url.path)
    let file: ModelFile
    do {
      file = try ModelFile.read(from: url)
    } catch {
      entry.problem = "\(error)"
      return entry
    }
    entry.fileSize = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? Int
    entry.card = file.card
    do {
      let classifier = try file.emotionClassifier(name: entry.name)
      if let classical = classifier as? ClassicalClassifier { entry.pipeline = classical.pipeline }
      let clock = ContinuousClock()
      let start = clock.now
      let predicted = try ModelEvaluator(classifier: classifier, batchSize: batchSize)
        .predictions(for: validation)
      let elapsed = (clock.now - start).components
      entry.evaluationSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
      entry.validation = try ClassificationReport(
        classes: validation.classes, truth: validation.labels, predicted: predicted)
      if let subset {
        let kept = validation.names.indices.filter { subset.contains(validation.names[$0]) }
        entry.validationWithoutDuplicates = try ClassificationReport(
          classes: validation.classes, truth: kept.map { validation.labels[$0] },
          predicted: kept.map { predicted[$0] })
      }
    } catch {
      entry.problem = "\(error)"
    }
    return entry
  }
}
