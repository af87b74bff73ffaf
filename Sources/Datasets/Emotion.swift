/// The seven FER2013 emotion classes, in the fixed order every Emocl model, dataset and report uses.
///
/// The raw value is the lowercase name used for dataset folders, model cards and JSON. The order of
/// `allCases` is the class-index order: a model's output `k` is `Emotion.allCases[k]`.
public enum Emotion: String, CaseIterable, Sendable, Codable {
  case angry, disgust, fear, happy, neutral, sad, surprise

  /// The class names in class-index order (`["angry", "disgust", …, "surprise"]`).
  public static let names: [String] = allCases.map(\.rawValue)

  /// This class's index in `allCases` (0…6).
  public var index: Int { Emotion.allCases.firstIndex(of: self)! }

  /// The class at `index` in `allCases`, or nil when out of range.
  public init?(index: Int) {
    guard Emotion.allCases.indices.contains(index) else { return nil }
    self = Emotion.allCases[index]
  }
}
