import Datasets
import Pipeline
import Testing

/// `EmotionSmoother`: the lag of a real change, and damping of a one-frame flicker.
@Suite struct EmotionSmootherTests {
  static func probabilities(_ emotion: Emotion, _ p: Float = 0.7) -> EmotionProbabilities {
    var row = [Float](repeating: (1 - p) / 6, count: 7)
    row[emotion.index] = p
    return EmotionProbabilities(validating: row)!
  }

  /// Seconds from a step change (angry → happy at t = 2 s) to the first frame whose smoothed
  /// dominant emotion is happy, sampling at `rate` frames per second.
  static func lag(rate: Double, timeConstant: Double = 0.3) -> Double {
    var smoother = EmotionSmoother(timeConstant: timeConstant)
    for frame in 0..<Int(4 * rate) {
      let time = Double(frame) / rate
      let observed = probabilities(time < 2 - 1e-9 ? .angry : .happy)
      if smoother.add(observed, at: time).dominant == .happy, time >= 2 - 1e-9 {
        return time - 2
      }
    }
    return .infinity
  }

  @Test(arguments: [5.0, 10, 25, 30, 60])
  func changeLagsLessThanHalfASecond(rate: Double) {
    let lag = Self.lag(rate: rate)
    print("smoothing lag at \(rate) frames/s: \(lag) s")
    #expect(lag < 0.5)
    // And it does smooth: at 30 frames/s and above the switch takes more than one frame.
    if rate >= 30 { #expect(lag > 1 / rate) }
  }

  @Test func oneFrameFlickerIsDamped() {
    var smoother = EmotionSmoother(timeConstant: 0.3)
    var dominant: [Emotion] = []
    for frame in 0..<30 {
      let time = Double(frame) / 10
      let observed = Self.probabilities(frame == 15 ? .sad : .neutral)
      dominant.append(smoother.add(observed, at: time).dominant)
    }
    #expect(dominant.allSatisfy { $0 == .neutral })
  }

  @Test func noSmoothingPassesThrough() {
    var smoother = EmotionSmoother(timeConstant: 0)
    _ = smoother.add(Self.probabilities(.angry), at: 0)
    #expect(smoother.add(Self.probabilities(.fear), at: 0.1) == Self.probabilities(.fear))
  }
}
