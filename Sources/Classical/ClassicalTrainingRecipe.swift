import Datasets
import Foundation
import Tensor

/// Trains a classical model into a shippable model file: fit, score on validation data,
/// optionally mirror-augment the classes with the lowest validation recall and fit again, then
/// the model file with its card (metrics of the weights as stored, e.g. support vectors in
/// Float16).
public struct ClassicalTrainingRecipe {
  /// The finished model and its file.
  public struct Result {
    /// The model as stored.
    public var model: ClassicalPipeline
    /// The model file with its card; write it with `model.storagePrecision`.
    public var file: ModelFile
    /// Validation metrics of the final model (nil without validation data).
    public var metrics: ClassificationReport?
  }

  /// Fits a model to a training set (the hyperparameters live in the closure).
  public var fit: (LabeledImages) throws -> (ClassicalPipeline, ClassicalPipeline.FitReport)
  /// Mirror-augment this many classes with the lowest validation recall, then retrain (0: off;
  /// needs validation data).
  public var augmentWorst: Int
  /// Called after each fit with the stored model and its fit report (e.g. to print details).
  public var describe: (ClassicalPipeline, ClassicalPipeline.FitReport) -> Void
  /// Progress lines (fit time, accuracy, per-class recall before and after augmenting).
  public var log: (String) -> Void

  /// A recipe around `fit`.
  public init(
    augmentWorst: Int = 0,
    fit: @escaping (LabeledImages) throws -> (ClassicalPipeline, ClassicalPipeline.FitReport),
    describe: @escaping (ClassicalPipeline, ClassicalPipeline.FitReport) -> Void = { _, _ in },
    log: @escaping (String) -> Void = { _ in }
  ) {
    self.augmentWorst = augmentWorst
    self.fit = fit
    self.describe = describe
    self.log = log
  }

  /// Runs the recipe on the emotion classes of `train` (and `validation`). `data` and `command`
  /// go into the card as typed by the user (see `TrainingCommand`); `started` is when the
  /// training began (loading included), for the card's training time.
  public func run(
    train: LabeledImages, validation: LabeledImages?, data: String, command: String,
    started: ContinuousClock.Instant = ContinuousClock.now
  ) throws -> Result {
    let classes = LabeledImages.emotionClasses
    guard augmentWorst >= 0, augmentWorst < classes.count else {
      throw ClassicalError.invalidParameters("augmentWorst must be in 0..<\(classes.count)")
    }
    guard augmentWorst == 0 || validation != nil else {
      throw ClassicalError.invalidParameters("augmenting the worst classes needs validation data")
    }
    let clock = ContinuousClock()
    var (model, metrics) = try fitAndScore(train, validation: validation)
    if let before = metrics {
      log(String(before.table().dropLast(before.table().hasSuffix("\n") ? 1 : 0)))
      if augmentWorst > 0 {
        (model, metrics) = try retrainWorst(train, validation: validation!, before: before)
      }
    }
    let training = TrainingInfo(
      data: data, command: command, seconds: Self.seconds(clock.now - started))
    let file = model.modelFile(classes: classes, training: training, metrics: metrics)
    return Result(model: model, file: file, metrics: metrics)
  }

  /// One fit, the stored model and its validation metrics.
  private func fitAndScore(_ images: LabeledImages, validation: LabeledImages?) throws
    -> (ClassicalPipeline, ClassificationReport?)
  {
    let clock = ContinuousClock()
    let fitStart = clock.now
    let (fitted, report) = try fit(images)
    log(String(format: "fit: %.1f s", Self.seconds(clock.now - fitStart)))
    // Metrics are those of the weights as written (support vectors in Float16).
    let model = try fitted.asStored()
    describe(model, report)
    guard let validation else { return (model, nil) }
    let predicted = try model.predict(validation.pixelFeatures)
    let metrics = try ClassificationReport(
      classes: LabeledImages.emotionClasses, truth: validation.labels, predicted: predicted)
    log(String(format: "val accuracy: %.4f", metrics.accuracy))
    return (model, metrics)
  }

  /// Mirror copies of the `augmentWorst` classes of lowest recall in `before` added to `train`,
  /// and the model fitted again; logs recall before → after per class.
  private func retrainWorst(
    _ train: LabeledImages, validation: LabeledImages, before: ClassificationReport
  ) throws -> (ClassicalPipeline, ClassificationReport?) {
    let classes = LabeledImages.emotionClasses
    let recalls = before.scoresInClassOrder.map(\.recall)
    let worst = recalls.indices.sorted { recalls[$0] < recalls[$1] }.prefix(augmentWorst)
    let names = worst.map { classes[$0] }
    let copies = try train.mirrored(classes: names)
    let augmented = try train.appending(copies)
    log(
      "augment: \(copies.count) mirrored images of \(names.joined(separator: ", ")); "
        + "retraining on \(augmented.count)")
    let (model, metrics) = try fitAndScore(augmented, validation: validation)
    let after = metrics!
    log("per-class recall before → after augmenting \(names.joined(separator: ", ")):")
    for (k, name) in classes.enumerated() {
      let (b, a) = (recalls[k], after.scoresInClassOrder[k].recall)
      let mark = names.contains(name) ? "  (augmented)" : ""
      log(String(format: "  %-9@ %.4f → %.4f (%+.4f)", name, b, a, a - b) + mark)
    }
    log(String(format: "accuracy: %.4f → %.4f", before.accuracy, after.accuracy))
    return (model, after)
  }

  private static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }
}
