/// Accumulates `VideoTrackSummary`s frame by frame: first and last time, frame count and the
/// sum of the probabilities of each track.
struct TrackSummaries: Sendable {
  private struct Sum: Sendable {
    var first: Double
    var last: Double
    var frames: Int
    var totals: [Double]
  }

  private var sums: [Int: Sum] = [:]

  /// Adds one analysed frame's faces.
  mutating func add(_ faces: [TrackedFace], at time: Double) {
    for face in faces {
      var sum =
        sums[face.track]
        ?? Sum(first: time, last: time, frames: 0, totals: [Double](repeating: 0, count: 7))
      sum.last = time
      sum.frames += 1
      for (k, value) in face.emotions.values.enumerated() { sum.totals[k] += Double(value) }
      sums[face.track] = sum
    }
  }

  /// One summary per track, in id order, with the mean probabilities.
  var summaries: [VideoTrackSummary] {
    sums.keys.sorted().compactMap { id in
      let sum = sums[id]!
      let total = sum.totals.reduce(0, +)
      guard total > 0,
        let mean = EmotionProbabilities(validating: sum.totals.map { Float($0 / total) })
      else { return nil }
      return VideoTrackSummary(
        id: id, first: sum.first, last: sum.last, frames: sum.frames, emotions: mean)
    }
  }
}
