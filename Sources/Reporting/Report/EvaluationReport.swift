import Datasets
import Foundation

/// The comparison of Emocl's models as a web page: a results table (validation accuracy,
/// macro precision / recall / F1, weighted F1, the same without the validation images that
/// duplicate training images, training time and calibration from each card), each model's
/// confusion matrices, the logistic-regression weight images and the PCA's eigenfaces and
/// explained-variance curve where a model has them, the class distribution of the training and
/// validation sets, and the models' intended use and limitations.
///
/// Build the `ReportModel`s with `ReportModel.evaluate(modelAt:validation:keeping:)`, then
/// `render()` and `ReportDocument.write(to:)`.
public struct EvaluationReport: Sendable {
  /// The page's heading.
  public var title: String
  /// The training set (only its class counts are shown).
  public var train: ReportDataSet
  /// The validation set every model was evaluated on.
  public var validation: ReportDataSet
  /// What the duplicate-free columns leave out (`SplitCopies.summary`), or nil when they were
  /// not computed.
  public var duplicatesSummary: String?
  /// Why the duplicate-free columns are missing, when they are (e.g. no duplicates list).
  public var duplicatesUnavailable: String?
  /// The models, in table order.
  public var models: [ReportModel]
  /// Where the models were looked for, for the "no models" message and the header.
  public var modelsSource: String
  /// The command that made the report, when known.
  public var command: String?
  /// When the report was made.
  public var generated: Date
  /// The intended-use and limitations text (`ModelCard.standardIntendedUse` by default).
  public var intendedUse: String

  /// A report over `models` evaluated on `validation`.
  public init(
    title: String = "Emocl model report", train: ReportDataSet, validation: ReportDataSet,
    duplicatesSummary: String? = nil, duplicatesUnavailable: String? = nil,
    models: [ReportModel], modelsSource: String, command: String? = nil,
    generated: Date = Date(), intendedUse: String = ModelCard.standardIntendedUse
  ) {
    self.title = title
    self.train = train
    self.validation = validation
    self.duplicatesSummary = duplicatesSummary
    self.duplicatesUnavailable = duplicatesUnavailable
    self.models = models
    self.modelsSource = modelsSource
    self.command = command
    self.generated = generated
    self.intendedUse = intendedUse
  }

  /// The numbers of the report as JSON (`results.json`): per model its name, path, kind,
  /// training seconds, calibration, `validation` and `validation_without_duplicates` metrics
  /// (`ClassificationReport` objects) and `problem`; plus the data sets' counts.
  public func resultsJSON() throws -> Data {
    struct Model: Encodable {
      var name: String
      var path: String
      var kind: String?
      var trainingSeconds: Double?
      var calibration: Calibration?
      var validation: ClassificationReport?
      var validationWithoutDuplicates: ClassificationReport?
      var evaluationSeconds: Double?
      var problem: String?
      enum CodingKeys: String, CodingKey {
        case name, path, kind, calibration, validation, problem
        case trainingSeconds = "training_seconds"
        case validationWithoutDuplicates = "validation_without_duplicates"
        case evaluationSeconds = "evaluation_seconds"
      }
    }
    struct DataSet: Encodable {
      var path: String
      var counts: [String: Int]
      var total: Int
    }
    struct Results: Encodable {
      var generated: String
      var emoclVersion: String
      var train: DataSet
      var validation: DataSet
      var duplicates: String?
      var models: [Model]
      enum CodingKeys: String, CodingKey {
        case generated, train, validation, duplicates, models
        case emoclVersion = "emocl_version"
      }
    }
    func dataSet(_ d: ReportDataSet) -> DataSet {
      DataSet(
        path: d.path,
        counts: Dictionary(uniqueKeysWithValues: zip(Emotion.names, d.counts)), total: d.total)
    }
    let results = Results(
      generated: ISO8601DateFormatter().string(from: generated), emoclVersion: EmoclVersion.string,
      train: dataSet(train), validation: dataSet(validation), duplicates: duplicatesSummary,
      models: models.map {
        Model(
          name: $0.name, path: $0.path, kind: $0.card?.kind.rawValue,
          trainingSeconds: $0.card?.training?.seconds, calibration: $0.card?.calibration,
          validation: $0.validation, validationWithoutDuplicates: $0.validationWithoutDuplicates,
          evaluationSeconds: $0.evaluationSeconds, problem: $0.problem)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(results)
  }
}
