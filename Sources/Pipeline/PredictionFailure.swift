/// Why one image failed: `type` is `AnalysisError.code` (or another stable snake_case name),
/// `message` a sentence for people.
public struct PredictionFailure: Sendable, Equatable, Codable {
  /// Machine-readable kind of failure, e.g. `undecodable_image`.
  public var type: String
  /// Human-readable explanation.
  public var message: String

  /// A failure of kind `type` explained by `message`.
  public init(type: String, message: String) {
    self.type = type
    self.message = message
  }
}
