/// The reaction of an audience to one stimulus, second by second: each viewer (session)
/// counts once per second, with the mean of their faces' probabilities in that second; the
/// curve is the mean over viewers with a 95% confidence interval for it (Student's t, since a
/// test audience is often a handful of people).
public enum ReactionCurve {
  /// One second of the curve.
  public struct Second: Sendable, Equatable {
    /// Whole seconds from the start of the stimulus.
    public var second: Int
    /// Sessions with at least one face in this second.
    public var viewers: Int
    /// Mean over viewers, in `Emotion` order.
    public var mean: [Double]
    /// The 95% interval of the mean, clamped to [0, 1]; nil with fewer than 2 viewers.
    public var low: [Double]?
    public var high: [Double]?
  }

  /// The curve from per-session sums (sessions without faces in a second do not count there).
  public static func compute(_ sums: [SessionSecondSums]) -> [Second] {
    var bySecond: [Int: [[Double]]] = [:]
    for row in sums where row.faces > 0 && row.sums.count == 7 {
      bySecond[row.second, default: []].append(row.sums.map { $0 / Double(row.faces) })
    }
    return bySecond.keys.sorted().map { second in
      let viewers = bySecond[second]!
      let n = Double(viewers.count)
      let mean = (0..<7).map { k in viewers.reduce(0) { $0 + $1[k] } / n }
      guard viewers.count >= 2 else {
        return Second(second: second, viewers: 1, mean: mean, low: nil, high: nil)
      }
      let t = tQuantile975(degreesOfFreedom: viewers.count - 1)
      var low: [Double] = []
      var high: [Double] = []
      for k in 0..<7 {
        let variance = viewers.reduce(0) { $0 + ($1[k] - mean[k]) * ($1[k] - mean[k]) } / (n - 1)
        let half = t * (variance / n).squareRoot()
        low.append(max(0, mean[k] - half))
        high.append(min(1, mean[k] + half))
      }
      return Second(second: second, viewers: viewers.count, mean: mean, low: low, high: high)
    }
  }

  /// Student's t quantile at 0.975 (two-sided 95%): a table to 30 degrees of freedom, then the
  /// Cornish–Fisher expansion around the normal quantile (within 1e-4 of the exact value there).
  public static func tQuantile975(degreesOfFreedom df: Int) -> Double {
    let table = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
      2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
      2.052, 2.048, 2.045, 2.042,
    ]
    guard df >= 1 else { return .infinity }
    if df <= table.count { return table[df - 1] }
    let z = 1.959_964
    let v = Double(df)
    let z3 = z * z * z
    let z5 = z3 * z * z
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
  }
}
