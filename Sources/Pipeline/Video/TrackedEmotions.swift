/// The results `VideoAnalyzer` builds up in frame order: each track's smoother, the frames with
/// their tracked faces, and the per-track summaries.
struct TrackedEmotions {
  let timeConstant: Double
  private var smoothers: [Int: EmotionSmoother] = [:]
  private(set) var frames: [VideoFrameFaces] = []
  private(set) var summaries = TrackSummaries()
  /// The faces of the latest frame added.
  private(set) var current: [TrackedFace] = []

  init(timeConstant: Double) {
    self.timeConstant = timeConstant
  }

  /// Adds one analysed frame: the tracks' positions and their raw probabilities, in order.
  mutating func add(
    time: Double, positions: [FaceTracker.Position], emotions: [EmotionProbabilities]
  ) {
    current = zip(positions, emotions).map { position, raw in
      var smoother = smoothers[position.id] ?? EmotionSmoother(timeConstant: timeConstant)
      let smoothed = smoother.add(raw, at: time)
      smoothers[position.id] = smoother
      return TrackedFace(track: position.id, box: position.box, emotions: smoothed)
    }
    // A track missing from this frame starts its smoothing afresh when it comes back.
    let live = Set(current.map(\.track))
    smoothers = smoothers.filter { live.contains($0.key) }
    frames.append(VideoFrameFaces(time: time, faces: current))
    summaries.add(current, at: time)
  }
}
