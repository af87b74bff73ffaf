import Foundation

/// Learning rate per step: linear warm-up from `peak · warmupStart` to `peak` over
/// `warmupSteps`, then cosine decay to `peak · finalFraction` at `totalSteps`.
public struct LearningRateSchedule: Codable, Sendable, Hashable {
  public var peak: Double
  public var warmupSteps: Int
  public var totalSteps: Int
  public var warmupStart: Double
  public var finalFraction: Double

  public init(
    peak: Double, warmupSteps: Int, totalSteps: Int, warmupStart: Double = 0.1,
    finalFraction: Double = 0.001
  ) {
    self.peak = peak
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
    self.warmupStart = warmupStart
    self.finalFraction = finalFraction
  }

  /// The learning rate of step `step` (0-based).
  public func rate(at step: Int) -> Double {
    if step < warmupSteps {
      let t = Double(step) / Double(max(1, warmupSteps))
      return peak * (warmupStart + (1 - warmupStart) * t)
    }
    let span = max(1, totalSteps - warmupSteps)
    let t = min(1, Double(step - warmupSteps) / Double(span))
    let low = peak * finalFraction
    return low + (peak - low) * 0.5 * (1 + cos(Double.pi * t))
  }
}
