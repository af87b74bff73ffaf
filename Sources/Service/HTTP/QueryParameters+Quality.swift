import Pipeline

extension QueryParameters {
  /// A finite decimal number in `range`, or nil when absent.
  package func double(_ name: String, in range: ClosedRange<Double>) throws(Problem) -> Double? {
    guard let value = try self.value(name) else { return nil }
    // Double("nan"), Double("inf") and hex forms parse; only plain decimals are taken.
    guard value.count <= 32, value.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }),
      let n = Double(value), n.isFinite, range.contains(n)
    else {
      throw .badParameter(
        name, "expected a number in \(range.lowerBound)...\(range.upperBound), got '\(value)'")
    }
    return n
  }

  /// `reliable_only=true|false` (default false) and the limits a reliable face passes:
  /// `min_face` (shorter box side, px), `min_sharpness`, `max_yaw` and `max_pitch` (degrees);
  /// each defaults to ``FaceQuality/Limits``' value.
  package func statsQuality() throws(Problem) -> StatsQuality {
    let defaults = FaceQuality.Limits()
    let limits = FaceQuality.Limits(
      minSize: try double("min_face", in: 0...100_000) ?? defaults.minSize,
      minSharpness: try double("min_sharpness", in: 0...1_000_000) ?? defaults.minSharpness,
      maxYaw: try double("max_yaw", in: 0...90) ?? defaults.maxYaw,
      maxPitch: try double("max_pitch", in: 0...90) ?? defaults.maxPitch)
    return StatsQuality(reliableOnly: try bool("reliable_only", default: false), limits: limits)
  }
}
