/// What kind of model a file holds, e.g. `logreg`; decides which tensors the file must contain.
///
/// An open set of names (a new model type needs no change here); the known ones are constants.
public struct ModelKind: RawRepresentable, Hashable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The kind's name as the card writes it.
  public let rawValue: String
  /// The kind named `rawValue`.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// The kind named by the literal.
  public init(stringLiteral value: String) { self.rawValue = value }

  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }

  public var description: String { rawValue }

  /// Multinomial logistic regression on pixels or features.
  public static let logreg: ModelKind = "logreg"
  /// Linear support-vector machine.
  public static let svm: ModelKind = "svm"
  /// Multi-layer perceptron.
  public static let mlp: ModelKind = "mlp"
  /// Convolutional network.
  public static let cnn: ModelKind = "cnn"
  /// Principal-component projection (eigenfaces), alone or in front of a classifier.
  public static let pca: ModelKind = "pca"
}
