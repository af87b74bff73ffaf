import Datasets
import Foundation

extension ModelFile {
  /// The model kinds `emotionClassifier(name:)` can load.
  public static var classifierKinds: [ModelKind] { [.cnn, .logreg, .svm] }

  /// The model as an `EmotionClassifier` named `name`, chosen by the card's kind. `cnn` says
  /// how a CNN runs (its flip, 8 bits or floats); other kinds ignore it.
  /// - Throws: `ClassifierLoadError` for a kind without a classifier or classes other than the
  ///   seven emotions; the model type's own errors for missing or misshapen tensors.
  public func emotionClassifier(name: String, cnn: CNNOptions = CNNOptions()) throws
    -> any EmotionClassifier
  {
    guard card.classes == Emotion.names else {
      throw ClassifierLoadError.wrongClasses(card.classes, path: path)
    }
    switch card.kind {
    case .cnn:
      return try CNNEmotionClassifier(modelFile: self, name: name, options: cnn)
    case .logreg, .svm:
      return try ClassicalClassifier(modelFile: self, name: name)
    default:
      throw ClassifierLoadError.unsupportedKind(
        card.kind, path: path, supported: Self.classifierKinds)
    }
  }

  /// Locates (`ModelLocator`), reads and loads the classifier for a `--model` argument.
  public static func emotionClassifier(
    _ nameOrPath: String, locator: ModelLocator = ModelLocator(), cnn: CNNOptions = CNNOptions()
  ) throws -> any EmotionClassifier {
    let url = try locator.locate(nameOrPath)
    let file = try ModelFile.read(from: url)
    return try file.emotionClassifier(
      name: url.deletingPathExtension().lastPathComponent, cnn: cnn)
  }
}
