/// The outcome of ``BLASSelfTest/run(gemm:gemv:)``.
public struct BLASSelfTestResult: Sendable, Equatable, Codable {
  /// How many products were checked (up to and including a failing one).
  public var checks: Int
  /// The first wrong product, e.g. `sgemm NT 17×13×9: C[3,4] = 1.2, expected 0.8`; nil if none.
  public var failure: String?
  /// Whether every check passed.
  public var passed: Bool { failure == nil }

  public init(checks: Int, failure: String?) {
    self.checks = checks
    self.failure = failure
  }

  private enum CodingKeys: String, CodingKey {
    case checks, failure, passed
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    checks = try container.decode(Int.self, forKey: .checks)
    failure = try container.decodeIfPresent(String.self, forKey: .failure)
  }

  /// Encodes ``passed`` too, for readers of `emocl info --format json`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(checks, forKey: .checks)
    try container.encodeIfPresent(failure, forKey: .failure)
    try container.encode(passed, forKey: .passed)
  }
}
