import Datasets
import Vision

/// Scores an `EmotionClassifier` on a labelled image set: every image is classified (in
/// batches, resized to the classifier's input when its size differs) and the predictions are
/// counted against the labels into a `ClassificationReport`.
public struct ModelEvaluator: Sendable {
  /// The model.
  public var classifier: any EmotionClassifier
  /// Images per call to the classifier.
  public var batchSize: Int
  /// Test-time augmentation: average each image's probabilities with those of its mirror image
  /// and predict the most probable class (needs `probabilities(forFaces:)`). When false the
  /// classifier's own `predictedClasses(forFaces:)` decides.
  public var mirrorAveraging: Bool

  /// An evaluator of `classifier`.
  public init(
    classifier: any EmotionClassifier, batchSize: Int = 256, mirrorAveraging: Bool = false
  ) {
    self.classifier = classifier
    self.batchSize = batchSize
    self.mirrorAveraging = mirrorAveraging
  }

  /// The predicted class index of every image, in order.
  ///
  /// - Throws: `EvaluationError` for an empty set, a bad batch size, classes other than the
  ///   seven emotions or invalid classifier output; the classifier's and resizing's own errors.
  public func predictions(for images: LabeledImages) throws -> [Int] {
    guard batchSize > 0 else { throw EvaluationError.invalidBatchSize(batchSize) }
    guard images.classes == Emotion.names else {
      throw EvaluationError.wrongClasses(images.classes)
    }
    guard images.count > 0 else { throw EvaluationError.noImages("the data set is empty") }
    let size = classifier.inputSize
    var result: [Int] = []
    result.reserveCapacity(images.count)
    var start = 0
    while start < images.count {
      let end = min(start + batchSize, images.count)
      var faces: [Image] = []
      faces.reserveCapacity(end - start)
      for index in start..<end {
        let image = Image(
          width: images.width, height: images.height, channels: 1,
          pixels: Array(images.imagePixels(index)))
        faces.append(try image.resized(width: size.width, height: size.height))
      }
      let predicted =
        try mirrorAveraging
        ? averagedPredictions(faces)
        : classifier
          .predictedClasses(forFaces: faces)
      guard predicted.count == faces.count else {
        throw EvaluationError.invalidPredictions(
          "\(predicted.count) predictions for \(faces.count) images")
      }
      if let bad = predicted.first(where: { !(0..<Emotion.allCases.count).contains($0) }) {
        throw EvaluationError.invalidPredictions("class \(bad) is outside 0..<7")
      }
      result += predicted
      start = end
    }
    return result
  }

  /// The metrics of `predictions(for:)` against the labels.
  public func evaluate(_ images: LabeledImages) throws -> ClassificationReport {
    let predicted = try predictions(for: images)
    return try ClassificationReport(
      classes: images.classes, truth: images.labels, predicted: predicted)
  }

  /// Argmax of the mean of the probabilities of `faces` and of their mirror images.
  private func averagedPredictions(_ faces: [Image]) throws -> [Int] {
    let plain = try classifier.probabilities(forFaces: faces)
    let mirrored = try classifier.probabilities(
      forFaces: faces.map { $0.transformed(by: .upMirrored) })
    guard plain.count == faces.count, mirrored.count == faces.count else {
      throw EvaluationError.invalidPredictions(
        "\(plain.count) and \(mirrored.count) probability rows for \(faces.count) images")
    }
    return try zip(plain, mirrored).map { a, b in
      guard a.count == Emotion.allCases.count, b.count == a.count else {
        throw EvaluationError.invalidPredictions("rows of \(a.count) and \(b.count) values, not 7")
      }
      var best = 0
      for k in a.indices where a[k] + b[k] > a[best] + b[best] { best = k }
      return best
    }
  }
}
