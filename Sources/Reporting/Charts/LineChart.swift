import Foundation

/// A line chart as standalone SVG: several series over shared axes with ticks and a legend
/// (learning curves, cumulative explained variance).
///
/// Non-finite points (e.g. a diverged loss) are left out, breaking the line there. Element
/// classes: `series` (one `polyline` per unbroken run of two or more points), `point` (a lone
/// point), `legend`, `tick-label`, `grid`, `axis`.
public struct LineChart: Sendable {
  /// One curve: paired x and y values.
  public struct Series: Sendable {
    /// The name in the legend.
    public var name: String
    /// Horizontal positions.
    public var x: [Double]
    /// Vertical positions, one per `x`.
    public var y: [Double]
    /// A curve through the points (`x[i]`, `y[i]`).
    public init(name: String, x: [Double], y: [Double]) {
      self.name = name
      self.x = x
      self.y = y
    }
    /// A curve over x = 1, 2, … (e.g. epochs).
    public init(name: String, y: [Double]) {
      self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y)
    }
  }

  /// Heading above the chart.
  public var title: String
  /// Label of the horizontal axis.
  public var xLabel: String
  /// Label of the vertical axis.
  public var yLabel: String
  /// The curves.
  public var series: [Series]
  /// Fixed vertical range (e.g. `0...1` for accuracy); nil fits the data.
  public var yRange: ClosedRange<Double>?
  /// Canvas width in pixels.
  public var width = 760.0
  /// Canvas height in pixels.
  public var height = 440.0

  /// A chart of `series`, fitted to the data unless `yRange` fixes the vertical range.
  public init(
    title: String, xLabel: String = "", yLabel: String = "", series: [Series],
    yRange: ClosedRange<Double>? = nil
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.yRange = yRange
  }

  /// The chart as an SVG document.
  public func svg() throws(ChartError) -> String {
    let points = try finitePoints()
    let (xTicks, xStep) = ChartStyle.ticks(
      points.map(\.0).min()!, points.map(\.0).max()!, target: 8)
    let (yTicks, yStep) =
      yRange.map { ChartStyle.ticks($0.lowerBound, $0.upperBound) }
      ?? ChartStyle.ticks(points.map(\.1).min()!, points.map(\.1).max()!)
    let xLo = xTicks.first!
    let xHi = xTicks.last!
    let yLo = yRange?.lowerBound ?? yTicks.first!
    let yHi =
      yRange.map { $0.upperBound > $0.lowerBound ? $0.upperBound : yTicks.last! }
      ?? yTicks.last!
    let yLabels = yTicks.map { ChartStyle.label($0, step: yStep) }
    let labelWidth = yLabels.map { ChartStyle.textWidth($0, size: 11) }.max()!

    let left = 24 + labelWidth + (yLabel.isEmpty ? 0 : 18)
    let right = 24.0
    let top = 64.0
    let bottom = xLabel.isEmpty ? 36.0 : 54.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    guard plotWidth > 40, plotHeight > 40 else { throw .invalidSize("\(width)x\(height)") }
    func px(_ x: Double) -> Double { left + (x - xLo) / (xHi - xLo) * plotWidth }
    func py(_ y: Double) -> Double { top + (yHi - y) / (yHi - yLo) * plotHeight }

    var svg = SVGWriter(width: width, height: height)
    svg.text(title, width / 2, 24, anchor: .middle, size: 16, bold: true, cssClass: "title")
    BarChart.legend(&svg, names: series.map(\.name), x: left, y: 46)

    for (t, label) in zip(yTicks, yLabels) where t >= yLo - 1e-12 && t <= yHi + 1e-12 {
      svg.line(left, py(t), left + plotWidth, py(t), stroke: "#e3e3e3", cssClass: "grid")
      svg.line(left - 4, py(t), left, py(t), cssClass: "tick")
      svg.text(label, left - 7, py(t) + 4, anchor: .end, size: 11, cssClass: "tick-label")
    }
    for t in xTicks {
      svg.line(px(t), top + plotHeight, px(t), top + plotHeight + 4, cssClass: "tick")
      svg.text(
        ChartStyle.label(t, step: xStep), px(t), top + plotHeight + 17, anchor: .middle, size: 11,
        cssClass: "tick-label")
    }
    svg.line(left, top + plotHeight, left + plotWidth, top + plotHeight, cssClass: "axis")
    svg.line(left, top, left, top + plotHeight, cssClass: "axis")
    if !xLabel.isEmpty {
      svg.text(xLabel, left + plotWidth / 2, height - 12, anchor: .middle, cssClass: "axis-label")
    }
    if !yLabel.isEmpty {
      svg.text(
        yLabel, 14, top + plotHeight / 2, anchor: .middle, rotate: -90, cssClass: "axis-label")
    }

    // Points outside a fixed y range are clamped to its edge.
    drawCurves(&svg) { x, y in (px(x), py(min(max(y, yLo), yHi))) }
    return svg.document
  }

  /// The finite points of all series, after checking the series, the y range and the size.
  private func finitePoints() throws(ChartError) -> [(Double, Double)] {
    guard !series.isEmpty else { throw .empty("line chart '\(title)'") }
    for s in series where s.x.count != s.y.count {
      throw .lengthMismatch("series '\(s.name)' has \(s.x.count) x and \(s.y.count) y values")
    }
    let points = series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite } }
    guard !points.isEmpty else { throw .empty("line chart '\(title)' has no finite points") }
    if let yRange, !(yRange.lowerBound.isFinite && yRange.upperBound.isFinite) {
      throw .nonFinite("y range \(yRange)")
    }
    guard width >= 200, height >= 150, width <= 20000, height <= 20000 else {
      throw .invalidSize("\(width)x\(height)")
    }
    return points
  }

  /// Each series as polylines through its unbroken runs of finite points (a lone point as a
  /// dot); `position` maps a data point to the canvas (clamping y to a fixed range).
  private func drawCurves(
    _ svg: inout SVGWriter, position: (Double, Double) -> (Double, Double)
  ) {
    for (i, s) in series.enumerated() {
      var run: [(Double, Double)] = []
      func flush() {
        if run.count == 1 {
          svg.circle(run[0].0, run[0].1, r: 3, fill: ChartStyle.color(i), cssClass: "point")
        } else if run.count > 1 {
          svg.polyline(run, stroke: ChartStyle.color(i), cssClass: "series")
        }
        run = []
      }
      for (x, y) in zip(s.x, s.y) {
        if x.isFinite && y.isFinite {
          run.append(position(x, y))
        } else {
          flush()
        }
      }
      flush()
    }
  }
}
