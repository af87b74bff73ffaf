import Foundation

/// How a model was trained.
public struct TrainingInfo: Sendable, Equatable, Codable {
  /// The training data (e.g. `../shared/datasets/fer2013/train`).
  public var data: String
  /// The command line that trained the model.
  public var command: String
  /// Wall-clock training time in seconds.
  public var seconds: Double
  /// When training finished, ISO 8601 in UTC (e.g. `2025-01-31T12:00:00Z`).
  public var date: String

  /// Training facts; `date` is written as ISO 8601 in UTC.
  public init(data: String, command: String, seconds: Double, date: Date = Date()) {
    self.data = data
    self.command = command
    self.seconds = seconds
    self.date = ISO8601DateFormatter().string(from: date)
  }
}
