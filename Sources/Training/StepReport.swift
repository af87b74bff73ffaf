import Datasets
import Foundation
import NeuralNet
import Tensor

/// A progress snapshot inside an epoch.
public struct StepReport: Sendable {
  /// 1-based epoch and its step, out of the totals.
  public var epoch: Int
  public var epochs: Int
  public var step: Int
  public var stepsPerEpoch: Int
  /// Training throughput since this session started.
  public var imagesPerSecond: Double
  /// Mean training loss of the epoch so far.
  public var loss: Double
  public var learningRate: Double
  /// Estimated seconds to the end of the run (training steps only).
  public var etaSeconds: Double
}
