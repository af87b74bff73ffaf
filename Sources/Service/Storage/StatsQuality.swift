import Pipeline

/// Which faces the statistics average: all of them, or only those that pass quality limits.
/// Faces that fail are always counted (``StatsBucket/unreliable``), never silently dropped.
///
/// The limits are applied when the statistics are read, to what was stored: a face's shorter
/// box side for every face, and sharpness, yaw and pitch for faces the CNN detector found (other
/// faces have none stored and are judged by size alone). So a dashboard can tighten or loosen
/// them after the fact.
public struct StatsQuality: Sendable, Equatable {
  /// Leave faces that fail the limits out of the means and dominant counts.
  public var reliableOnly: Bool
  /// When a face counts as reliable.
  public var limits: FaceQuality.Limits

  public init(reliableOnly: Bool = false, limits: FaceQuality.Limits = .init()) {
    self.reliableOnly = reliableOnly
    self.limits = limits
  }

  /// Every face averaged; those failing the default limits counted as unreliable.
  public static let all = StatsQuality()
}
