import Tensor
import Vision

/// A classical model (standardise → optional PCA → logistic regression or SVM, kinds `logreg`
/// and `svm`) as an `EmotionClassifier`: face crops are normalised as the card's `InputSpec`
/// says (0…1 for FER2013 models), flattened to rows of `width * height * channels` values and
/// passed through `ClassicalPipeline.probabilities`.
public struct ClassicalEmotionClassifier: EmotionClassifier {
  public let name: String
  /// The fitted model.
  public let pipeline: ClassicalPipeline
  /// Input size and pixel normalisation the model was trained with.
  public let input: InputSpec

  public var inputSize: (width: Int, height: Int) { (input.width, input.height) }

  /// A classifier over `pipeline`. Throws `ClassifierLoadError` when the model does not take
  /// `input`'s pixel count, does not have 7 classes, or is an SVM without probability
  /// calibration (Platt scaling).
  public init(pipeline: ClassicalPipeline, input: InputSpec, name: String) throws {
    let pixels = input.width * input.height * input.channels
    guard pipeline.featureCount == pixels else {
      throw ClassifierLoadError.invalidModel(
        name: name,
        reason: "it takes \(pipeline.featureCount) features, but its input "
          + "\(input.width)x\(input.height)x\(input.channels) has \(pixels) pixels")
    }
    guard pipeline.classCount == Emotion.allCases.count else {
      throw ClassifierLoadError.invalidModel(
        name: name, reason: "it has \(pipeline.classCount) classes, not 7")
    }
    if case .svm(let svm) = pipeline.classifier, svm.platt.isEmpty {
      throw ClassifierLoadError.invalidModel(
        name: name,
        reason: "this SVM was trained without probability calibration, so it gives no "
          + "probabilities; train it with calibration")
    }
    self.pipeline = pipeline
    self.input = input
    self.name = name
  }

  /// The classifier in a `logreg` or `svm` model file.
  public init(modelFile file: ModelFile, name: String) throws {
    try self.init(
      pipeline: try ClassicalPipeline(modelFile: file), input: file.card.input, name: name)
  }

  public func probabilities(forFaces faces: [Image]) throws -> [[Float]] {
    guard !faces.isEmpty else { return [] }
    // [faces, channels, height, width] → [faces, pixels]: the rows the pipeline was fitted on.
    let rows = try input.batch(faces).reshaped([faces.count, pipeline.featureCount])
    let probabilities = try pipeline.probabilities(rows)
    let k = pipeline.classCount
    return (0..<faces.count).map { Array(probabilities.storage[($0 * k)..<(($0 + 1) * k)]) }
  }
}
