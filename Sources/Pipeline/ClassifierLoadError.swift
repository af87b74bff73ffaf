import Datasets

/// Why a model file cannot serve as an `EmotionClassifier`.
public enum ClassifierLoadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No classifier type in this build reads models of this kind.
  case unsupportedKind(ModelKind, path: String, supported: [ModelKind])
  /// The model's classes are not the seven emotions in Emocl's order.
  case wrongClasses([String], path: String)
  /// The file's tensors or card do not make a usable model of its kind (e.g. non-finite
  /// parameters, an input the model type cannot take).
  case invalidModel(path: String, reason: String)

  public var description: String {
    switch self {
    case .unsupportedKind(let kind, let path, let supported):
      let known = supported.isEmpty ? "none yet" : supported.map(\.rawValue).joined(separator: ", ")
      return "\(path): models of kind '\(kind)' cannot classify emotions in this build "
        + "(supported kinds: \(known))"
    case .wrongClasses(let classes, let path):
      return "\(path): the model's classes \(classes) are not \(Emotion.names)"
    case .invalidModel(let path, let reason):
      return "model file \(path): \(reason)"
    }
  }
}
