import Foundation

/// Smooths one track's emotion probabilities over time with an exponential moving average
/// whose weight follows the time between frames: after `dt` seconds a new frame gets weight
/// `1 - exp(-dt / timeConstant)`. A sudden, lasting change therefore takes the dominant emotion
/// over after `timeConstant · ln 2` seconds (0.21 s for the default 0.3 s), whatever the
/// sampling rate: well under the 0.5 s the issue allows, while frame-to-frame flicker of a
/// single frame is damped by about 2/3 at 10 frames/s.
public struct EmotionSmoother: Sendable, Equatable {
  /// Seconds; 0 disables smoothing.
  public let timeConstant: Double
  private var values: [Double]?
  private var lastTime: Double = 0

  /// A smoother with no history.
  public init(timeConstant: Double) {
    self.timeConstant = timeConstant
  }

  /// Adds the probabilities observed at `time` (seconds) and returns the smoothed ones.
  public mutating func add(_ observed: EmotionProbabilities, at time: Double)
    -> EmotionProbabilities
  {
    let row = observed.values.map(Double.init)
    guard let previous = values, timeConstant > 0 else {
      values = row
      lastTime = time
      return observed
    }
    let dt = max(time - lastTime, 0)
    let weight = 1 - exp(-dt / timeConstant)
    let mixed = zip(previous, row).map { old, new in old + weight * (new - old) }
    values = mixed
    lastTime = time
    let sum = mixed.reduce(0, +)
    return EmotionProbabilities(validating: mixed.map { Float($0 / sum) }) ?? observed
  }
}
