import Foundation

/// Temperature scaling fitted on validation data, with expected calibration error before and after.
public struct Calibration: Sendable, Equatable, Codable {
  /// Logits are divided by this before the softmax.
  public var temperature: Double
  /// Expected calibration error of the uncalibrated model.
  public var eceBefore: Double
  /// Expected calibration error after temperature scaling.
  public var eceAfter: Double

  /// A calibration by `temperature` with the errors measured before and after it.
  public init(temperature: Double, eceBefore: Double, eceAfter: Double) {
    self.temperature = temperature
    self.eceBefore = eceBefore
    self.eceAfter = eceAfter
  }

  enum CodingKeys: String, CodingKey {
    case temperature
    case eceBefore = "ece_before"
    case eceAfter = "ece_after"
  }
}
