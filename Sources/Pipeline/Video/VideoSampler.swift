/// Decides, frame by frame, which frames `VideoSampling` analyses: every frame, or the first
/// frame at or after each multiple of 1/N seconds.
struct VideoSampler: Sendable {
  let sampling: VideoSampling
  private var next = 0.0

  init(_ sampling: VideoSampling) {
    self.sampling = sampling
  }

  /// Whether the frame at `time` is analysed.
  mutating func takes(_ time: Double) -> Bool {
    switch sampling {
    case .everyFrame:
      return true
    case .perSecond(let rate):
      // A microsecond of slack: a 30 fps timestamp of 0.0333… must count as 1/30.
      guard time + 1e-6 >= next else { return false }
      next = ((time + 1e-6) * rate).rounded(.down) / rate + 1 / rate
      return true
    }
  }

  /// Analysed frames per second for a stream of `fps` frames per second.
  func analysedRate(fps: Double) -> Double {
    switch sampling {
    case .everyFrame: fps
    case .perSecond(let rate): fps > 0 ? min(rate, fps) : rate
    }
  }
}
