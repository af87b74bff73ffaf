import Datasets
import Foundation
import NeuralNet

extension CNNTrainer {
  /// The finished network as a shippable `cnn` model file. With validation data its card holds
  /// the metrics with test-time flip (the mean of each centre crop's and its mirror's logits)
  /// and a temperature fitted on those logits, and the flip is switched on; classes and source
  /// size come from the training images, the normalisation and training configuration from the
  /// run. `data` and `command` go into the card as typed by the user (see `TrainingCommand`).
  /// `log` receives the validation figures.
  public func modelFile(
    validation: TrainingImages?, data: String, command: String,
    log: (String) -> Void = { _ in }
  ) throws -> ModelFile {
    var metrics: ClassificationReport?
    var calibration: Calibration?
    if let validation {
      let plain = try evaluate(validation)
      let evaluation = try evaluate(validation, flip: true)
      let k = validation.classes.count
      let t = TemperatureScaling.fit(
        logits: evaluation.logits, labels: validation.labels, classes: k)
      let before = TemperatureScaling.expectedCalibrationError(
        logits: evaluation.logits, labels: validation.labels, classes: k)
      let after = TemperatureScaling.expectedCalibrationError(
        logits: evaluation.logits, labels: validation.labels, classes: k, temperature: t)
      metrics = evaluation.report
      calibration = Calibration(temperature: t, eceBefore: before, eceAfter: after)
      log(
        String(
          format: "validation: accuracy %.4f macro-F1 %.4f (without flip: %.4f, %.4f)",
          evaluation.report.accuracy, evaluation.report.macroF1, plain.report.accuracy,
          plain.report.macroF1))
      log(String(format: "temperature %.3f, ECE %.4f -> %.4f", t, before, after))
      log(evaluation.report.table())
    }
    let seconds = progress.history.reduce(0) { $0 + $1.seconds }
    let training = TrainingInfo(data: data, command: command, seconds: seconds)
    let trainingConfig = try JSONDecoder().decode(
      JSONValue.self, from: JSONEncoder().encode(config))
    return try CNNClassifier.modelFile(
      network: network, classes: train.classes, sourceWidth: train.width,
      sourceHeight: train.height, normalization: config.normalization!, training: training,
      metrics: metrics, calibration: calibration, flip: validation != nil,
      extraArchitecture: ["training_config": trainingConfig])
  }
}
