/// The weights mapping `source` samples on one axis to `destination` samples: each output sample
/// is `sum(weights[o * taps + k] * input[starts[o] + k])` for `k < taps` (unused taps weigh 0).
struct ResampleWeights {
  let starts: [Int]
  let taps: Int
  let weights: [Float]

  private init(starts: [Int], taps: Int, weights: [Float]) {
    self.starts = starts
    self.taps = taps
    self.weights = weights
  }

  /// Area averaging (OpenCV INTER_AREA) when shrinking, bilinear with pixel centres at +0.5
  /// (OpenCV INTER_LINEAR) otherwise. Both sizes are positive.
  init(source: Int, destination: Int) {
    if destination < source {
      self = Self.area(source: source, destination: destination)
    } else {
      self = Self.bilinear(source: source, destination: destination)
    }
  }

  /// Output pixel o covers source interval [o * scale, (o + 1) * scale), scale = source/destination;
  /// each source pixel weighs its overlap with that interval, divided by the interval length.
  private static func area(source: Int, destination: Int) -> ResampleWeights {
    let scale = Double(source) / Double(destination)
    let taps = Int(scale.rounded(.up)) + 1
    var starts = [Int](repeating: 0, count: destination)
    var weights = [Float](repeating: 0, count: destination * taps)
    for o in 0..<destination {
      let begin = Double(o) * scale
      let end = min(begin + scale, Double(source))
      let length = end - begin
      // Overlaps under 1e-3 of a pixel are rounding noise (OpenCV ignores them the same way).
      var first = Int(begin.rounded(.down))
      if Double(first + 1) - begin < 1e-3 { first += 1 }
      var last = Int(end.rounded(.up)) - 1
      if end - Double(last) < 1e-3 { last -= 1 }
      last = min(last, source - 1)
      starts[o] = first
      for s in first...last {
        let overlap = min(end, Double(s + 1)) - max(begin, Double(s))
        weights[o * taps + (s - first)] = Float(overlap / length)
      }
    }
    return ResampleWeights(starts: starts, taps: taps, weights: weights)
  }

  private static func bilinear(source: Int, destination: Int) -> ResampleWeights {
    let scale = Double(source) / Double(destination)
    var starts = [Int](repeating: 0, count: destination)
    var weights = [Float](repeating: 0, count: destination * 2)
    for o in 0..<destination {
      let position = (Double(o) + 0.5) * scale - 0.5
      var s = Int(position.rounded(.down))
      var fraction = position - Double(s)
      if s < 0 {
        s = 0
        fraction = 0
      }
      if s >= source - 1 {
        s = source - 1
        fraction = 0
      }
      starts[o] = s
      // At the last pixel the fraction is 0 and callers skip the tap past the end.
      weights[2 * o] = Float(1 - fraction)
      weights[2 * o + 1] = Float(fraction)
    }
    return ResampleWeights(starts: starts, taps: 2, weights: weights)
  }
}
