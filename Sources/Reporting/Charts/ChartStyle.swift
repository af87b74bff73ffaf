import Foundation

/// Colours and tick placement shared by the charts.
enum ChartStyle {
  /// Distinguishable series colours, cycled when there are more series.
  static let palette = [
    "#1f6fb4", "#e8731a", "#2e9b3d", "#c8312f", "#8557b8", "#7f5045", "#d462b0", "#6f6f6f",
    "#a8ac1f", "#1eaabd",
  ]

  static func color(_ i: Int) -> String { palette[i % palette.count] }

  /// About `target` evenly spaced "nice" values (1, 2 or 5 × 10^k apart) covering `lo…hi`,
  /// and the step.
  static func ticks(_ lo: Double, _ hi: Double, target: Int = 6) -> (values: [Double], step: Double)
  {
    var lo = lo
    var hi = hi
    if hi <= lo {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    let raw = (hi - lo) / Double(max(1, target - 1))
    let magnitude = pow(10, floor(log10(raw)))
    let fraction = raw / magnitude
    let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    let step = nice * magnitude
    let first = floor(lo / step + 1e-9) * step
    let last = ceil(hi / step - 1e-9) * step
    var values: [Double] = []
    var v = first
    while v <= last + step * 1e-6 && values.count < 1000 {
      values.append(abs(v) < step * 1e-9 ? 0 : v)
      v += step
    }
    return (values, step)
  }

  /// A tick label with as many decimals as the step needs.
  static func label(_ v: Double, step: Double) -> String {
    let decimals = max(0, min(10, Int(-floor(log10(step) + 1e-9))))
    return String(format: "%.\(decimals)f", v)
  }

  /// Rough width of `s` in pixels at font `size` (no font metrics in a standalone writer).
  static func textWidth(_ s: String, size: Double) -> Double { Double(s.count) * size * 0.6 }
}
