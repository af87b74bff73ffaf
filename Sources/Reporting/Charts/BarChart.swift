import Foundation

/// A grouped bar chart as standalone SVG: one group per category, one bar per series side by side,
/// with a legend (e.g. class distribution of train vs val).
///
/// Element classes for styling and tests: `bar` (one `rect` per category × series, in category-
/// major order), `bar-value`, `category-label`, `legend` (series names), `tick-label`.
public struct BarChart: Sendable {
  /// One series: a name for the legend and one value per category.
  public struct Series: Sendable {
    /// The name in the legend.
    public var name: String
    /// One value per category.
    public var values: [Double]
    /// A series called `name` with `values`.
    public init(name: String, values: [Double]) {
      self.name = name
      self.values = values
    }
  }

  /// Heading above the chart.
  public var title: String
  /// Group labels along the x axis.
  public var categories: [String]
  /// The series, each with `categories.count` finite values.
  public var series: [Series]
  /// Label of the value axis.
  public var yLabel: String
  /// Whether to print each bar's value above it (when the bars are wide enough).
  public var showValues = true
  /// Canvas width in pixels.
  public var width = 760.0
  /// Canvas height in pixels.
  public var height = 440.0

  /// A chart of `series` over `categories`.
  public init(title: String, categories: [String], series: [Series], yLabel: String = "") {
    self.title = title
    self.categories = categories
    self.series = series
    self.yLabel = yLabel
  }

  /// The chart as an SVG document.
  public func svg() throws(ChartError) -> String {
    try validate()
    let all = series.flatMap(\.values)
    let (ticks, step) = ChartStyle.ticks(min(0, all.min()!), max(0, all.max()!))
    let lo = ticks.first!
    let hi = ticks.last!
    let tickLabels = ticks.map { ChartStyle.label($0, step: step) }
    let labelWidth = tickLabels.map { ChartStyle.textWidth($0, size: 11) }.max()!

    let right = 20.0
    let top = 64.0
    let (left, groupWidth, rotateLabels, bottom) = horizontalLayout(
      axisLeft: 24 + labelWidth + (yLabel.isEmpty ? 0 : 18), right: right)
    let plotHeight = height - top - bottom
    guard plotHeight > 40, groupWidth > 2 else {
      throw .invalidSize("\(width)x\(height) is too small for \(categories.count) categories")
    }
    func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotHeight }

    var svg = SVGWriter(width: width, height: height)
    svg.text(title, width / 2, 24, anchor: .middle, size: 16, bold: true, cssClass: "title")
    Self.legend(&svg, names: series.map(\.name), x: left, y: 46)

    for (t, label) in zip(ticks, tickLabels) {
      svg.line(left, y(t), width - right, y(t), stroke: "#e3e3e3", cssClass: "grid")
      svg.text(label, left - 6, y(t) + 4, anchor: .end, size: 11, cssClass: "tick-label")
    }
    if !yLabel.isEmpty {
      svg.text(
        yLabel, 14, top + plotHeight / 2, anchor: .middle, rotate: -90, cssClass: "axis-label")
    }

    let barWidth = groupWidth * 0.8 / Double(series.count)
    for (c, category) in categories.enumerated() {
      let groupX = left + Double(c) * groupWidth + groupWidth * 0.1
      for (s, serie) in series.enumerated() {
        let v = serie.values[c]
        let x = groupX + Double(s) * barWidth
        let top = min(y(v), y(0))
        svg.rect(
          x, top, barWidth - 1, abs(y(v) - y(0)), fill: ChartStyle.color(s), cssClass: "bar",
          title: "\(serie.name), \(category): \(ChartStyle.label(v, step: step / 10))")
        let valueText = ChartStyle.label(v, step: step / 10)
        if showValues, ChartStyle.textWidth(valueText, size: 10) <= barWidth + 6 {
          let ty = v >= 0 ? y(v) - 3 : y(v) + 11
          svg.text(
            valueText, x + barWidth / 2, ty, anchor: .middle, size: 10, cssClass: "bar-value")
        }
      }
      let cx = left + (Double(c) + 0.5) * groupWidth
      let ly = top + plotHeight + 16
      if rotateLabels {
        svg.text(category, cx, ly, anchor: .end, rotate: -35, cssClass: "category-label")
      } else {
        svg.text(category, cx, ly, anchor: .middle, cssClass: "category-label")
      }
    }
    svg.line(left, y(0), width - right, y(0), stroke: "#333333", cssClass: "axis")
    svg.line(left, top, left, top + plotHeight, stroke: "#333333", cssClass: "axis")
    return svg.document
  }

  /// Checks that every series has one finite value per category and the canvas size.
  private func validate() throws(ChartError) {
    guard !categories.isEmpty, !series.isEmpty else { throw .empty("bar chart '\(title)'") }
    for s in series {
      guard s.values.count == categories.count else {
        throw .lengthMismatch(
          "series '\(s.name)' has \(s.values.count) values for \(categories.count) categories")
      }
      guard s.values.allSatisfy(\.isFinite) else { throw .nonFinite("series '\(s.name)'") }
    }
    guard width >= 200, height >= 150, width <= 20000, height <= 20000 else {
      throw .invalidSize("\(width)x\(height)")
    }
  }

  /// Where the plot starts (`axisLeft`, or further right to make room for slanted labels), the
  /// width of each category's group, whether the category labels slant, and the margin below
  /// the plot for them.
  private func horizontalLayout(axisLeft: Double, right: Double)
    -> (left: Double, groupWidth: Double, rotateLabels: Bool, bottom: Double)
  {
    var left = axisLeft
    var groupWidth = (width - left - right) / Double(categories.count)
    let longest = categories.map { ChartStyle.textWidth($0, size: 12) }.max()!
    let rotateLabels = longest > groupWidth - 4
    if rotateLabels {
      // Labels slant down-left (-35°) from their group's centre; the first must not leave the
      // canvas, which needs cos 35° of its width left of that centre.
      for _ in 0..<4 {
        left = max(axisLeft, longest * 0.82 + 4 - groupWidth / 2)
        groupWidth = (width - left - right) / Double(categories.count)
      }
    }
    return (left, groupWidth, rotateLabels, rotateLabels ? 30 + longest * 0.7 : 44)
  }

  /// A row of colour swatches with series names starting at (`x`, `y`).
  static func legend(_ svg: inout SVGWriter, names: [String], x: Double, y: Double) {
    var cx = x
    for (i, name) in names.enumerated() {
      svg.rect(cx, y - 10, 12, 12, fill: ChartStyle.color(i), cssClass: "legend-swatch")
      svg.text(name, cx + 16, y, cssClass: "legend")
      cx += 32 + ChartStyle.textWidth(name, size: 12)
    }
  }
}
