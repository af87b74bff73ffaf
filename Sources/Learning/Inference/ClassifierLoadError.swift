/// Why a model file cannot serve as an `EmotionClassifier`.
public enum ClassifierLoadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No classifier type in this build reads models of this kind.
  case unsupportedKind(ModelKind, path: String, supported: [ModelKind])
  /// The model's classes are not the seven emotions in Emocl's order.
  case wrongClasses([String], path: String)
  /// The model's parts do not fit together or cannot give probabilities.
  case invalidModel(name: String, reason: String)

  public var description: String {
    switch self {
    case .unsupportedKind(let kind, let path, let supported):
      let known = supported.isEmpty ? "none yet" : supported.map(\.rawValue).joined(separator: ", ")
      return "\(path): models of kind '\(kind)' cannot classify emotions in this build "
        + "(supported kinds: \(known))"
    case .invalidModel(let name, let reason):
      return "model '\(name)' cannot classify faces: \(reason)"
    case .wrongClasses(let classes, let path):
      return "\(path): the model's classes \(classes) are not \(Emotion.names)"
    }
  }
}
