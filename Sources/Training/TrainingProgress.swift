import Foundation

/// Where a run is: enough, with the seed, to continue it exactly.
public struct TrainingProgress: Codable, Sendable, Equatable {
  /// Epochs finished.
  public var epochsCompleted = 0
  /// Steps done in the current (unfinished) epoch.
  public var stepInEpoch = 0
  /// Steps done since the start of the run.
  public var globalStep = 0
  /// Running sums of the current epoch: loss (per-step mean losses), correct predictions,
  /// images seen and seconds spent.
  public var epochLossSum = 0.0
  public var epochCorrect = 0
  public var epochImages = 0
  public var epochSeconds = 0.0
  /// Finished epochs.
  public var history: [EpochRecord] = []
  /// The data the run trains on (set when saved).
  public var data: DataSummary?

  public init() {}
}
