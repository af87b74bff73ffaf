import Datasets
import Foundation
import NeuralNet

/// Gives a `cnn` model file its 8-bit form (`NeuralNet.Int8Network`): the activation ranges,
/// measured with the float network on training images and their mirror images (the images as
/// served), go into the card's `architecture.int8`, and, when evaluation images are given and
/// this CPU runs the 8-bit network, the 8-bit model's metrics beside them with the float
/// model's accuracy on the same images. The tensors are unchanged. What `emocl quantize` and the
/// end of `emocl train cnn` run.
public struct CNNQuantizer: Sendable {
  /// The quantized file, and the evaluation if one was run (nil when none was asked for or the
  /// CPU cannot run the 8-bit network).
  public struct Result: Sendable {
    public var file: ModelFile
    public var floatReport: ClassificationReport?
    public var int8Report: ClassificationReport?
  }

  /// Images the ranges are measured on: never the ones the model is judged on.
  public var calibration: LabeledImages
  /// How `calibration` was chosen, in words, for the card (e.g. "1999 images of data/train
  /// (seed 1)").
  public var calibrationDescription: String
  /// Labelled images to score both forms on, and their name for the card.
  public var evaluation: (images: LabeledImages, name: String)?

  public init(
    calibration: LabeledImages, calibrationDescription: String,
    evaluation: (images: LabeledImages, name: String)? = nil
  ) {
    self.calibration = calibration
    self.calibrationDescription = calibrationDescription
    self.evaluation = evaluation
  }

  /// At most `count` images of `images`, a stratified random choice seeded with `seed`.
  public static func sample(_ images: LabeledImages, count: Int, seed: UInt64) throws
    -> LabeledImages
  {
    guard images.count > count else { return images }
    return try images.split(fraction: Double(count) / Double(images.count), seed: seed).0
  }

  /// `file` with its 8-bit section. Throws `NetworkError.unsupported` for a network of a shape
  /// the 8-bit runner does not take, and the model's own errors.
  public func quantize(_ file: ModelFile, workers: Int = 1) throws -> Result {
    try file.requireKind(.cnn)
    guard calibration.count > 0 else { throw QuantizationError("no calibration images") }
    guard calibration.width == file.card.input.width,
      calibration.height == file.card.input.height
    else {
      throw QuantizationError(
        "the calibration images are \(calibration.width)x\(calibration.height); the model takes "
          + "\(file.card.input.width)x\(file.card.input.height)")
    }
    let float = try CNNClassifier(file: file, workers: workers)
    let maxima = try float.int8Maxima(pixels: calibration.pixels, count: calibration.count)
    var details: [String: JSONValue] = [
      "calibration": .string(
        "the largest activation per channel over \(calibration.count) \(calibrationDescription)"
          + (float.flip ? " and their mirror images" : "")),
      "tool": .string("Emocl \(EmoclVersion.string)"),
    ]
    var result = Result(file: try CNNClassifier.withInt8(file, maxima: maxima, details: details))
    guard let evaluation, Int8Network.isSupported else { return result }
    let name = URL(fileURLWithPath: file.path).deletingPathExtension().lastPathComponent
    var reports: [ClassificationReport] = []
    for int8 in [false, true] {
      let classifier = try result.file.emotionClassifier(name: name, cnn: CNNOptions(int8: int8))
      reports.append(try ModelEvaluator(classifier: classifier).evaluate(evaluation.images))
    }
    details["evaluation"] = .object([
      "data": .string(evaluation.name), "images": .number(Double(evaluation.images.count)),
      "float_accuracy": .number(reports[0].accuracy),
      "metrics": try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(reports[1])),
    ])
    result.file = try CNNClassifier.withInt8(file, maxima: maxima, details: details)
    result.floatReport = reports[0]
    result.int8Report = reports[1]
    return result
  }
}
