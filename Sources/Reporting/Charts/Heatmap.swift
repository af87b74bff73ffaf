import Datasets
import Foundation

/// A labelled heatmap as standalone SVG: one square per cell coloured by value (white → dark
/// blue) with the value printed in it, row labels on the left and column labels on top
/// (e.g. a confusion matrix, rows = true, columns = predicted).
///
/// Element classes: `cell` (one `rect` per cell, row-major), `cell-value` (one `text` per cell),
/// `row-label`, `column-label`, `axis-label`.
public struct Heatmap: Sendable {
  /// Heading above the chart.
  public var title: String
  /// One label per row.
  public var rowLabels: [String]
  /// One label per column.
  public var columnLabels: [String]
  /// `values[row][column]`, finite.
  public var values: [[Double]]
  /// Caption of the rows (e.g. "true").
  public var rowAxisLabel: String
  /// Caption of the columns (e.g. "predicted").
  public var columnAxisLabel: String
  /// Decimals printed in cells; nil prints integers when every value is whole, else 2.
  public var decimals: Int?
  /// Values mapped to the lightest and darkest colour; nil uses `min(0, smallest)…largest`.
  public var valueRange: ClosedRange<Double>?
  /// Side of a cell in pixels.
  public var cellSize = 56.0

  /// A heatmap of `values` (one row per row label, one value per column label).
  public init(
    title: String, rowLabels: [String], columnLabels: [String], values: [[Double]],
    rowAxisLabel: String = "", columnAxisLabel: String = ""
  ) {
    self.title = title
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.values = values
    self.rowAxisLabel = rowAxisLabel
    self.columnAxisLabel = columnAxisLabel
  }

  /// A confusion-matrix heatmap: counts, or with `normalised` each row divided by its total
  /// (so the diagonal is the per-class recall; an empty row stays 0) coloured on a fixed 0…1
  /// scale so charts of different models compare.
  public init(confusion: ConfusionMatrix, normalised: Bool = false, title: String? = nil) {
    let rows = confusion.counts.map { row -> [Double] in
      let total = row.reduce(0, +)
      return row.map { normalised ? (total == 0 ? 0 : Double($0) / Double(total)) : Double($0) }
    }
    self.init(
      title: title ?? (normalised ? "Confusion matrix (row-normalised)" : "Confusion matrix"),
      rowLabels: confusion.classes, columnLabels: confusion.classes, values: rows,
      rowAxisLabel: "true", columnAxisLabel: "predicted")
    if normalised {
      decimals = 2
      valueRange = 0...1
    }
  }

  /// The heatmap as an SVG document.
  public func svg() throws(ChartError) -> String {
    guard !values.isEmpty, !values[0].isEmpty else { throw .empty("heatmap '\(title)'") }
    guard rowLabels.count == values.count, values.allSatisfy({ $0.count == columnLabels.count })
    else {
      throw .lengthMismatch(
        "\(rowLabels.count) row and \(columnLabels.count) column labels for a "
          + "\(values.count)x\(values[0].count) table")
    }
    let flat = values.flatMap { $0 }
    guard flat.allSatisfy(\.isFinite) else { throw .nonFinite("heatmap '\(title)'") }
    guard cellSize >= 8, cellSize <= 400, flat.count <= 250_000 else {
      throw .invalidSize("cell size \(cellSize) for \(flat.count) cells")
    }

    let places = decimals ?? (flat.allSatisfy { $0.rounded() == $0 } ? 0 : 2)
    if let valueRange, !(valueRange.lowerBound.isFinite && valueRange.upperBound.isFinite) {
      throw .nonFinite("value range \(valueRange)")
    }
    let lo = valueRange?.lowerBound ?? min(0, flat.min()!)
    let hi = valueRange?.upperBound ?? max(lo, flat.max()!)
    let rowLabelWidth = rowLabels.map { ChartStyle.textWidth($0, size: 12) }.max()!
    let columnLabelHeight = columnLabels.map { ChartStyle.textWidth($0, size: 12) }.max()! * 0.75
    let left = 16 + (rowAxisLabel.isEmpty ? 0 : 20) + rowLabelWidth + 8
    let top = 40 + (columnAxisLabel.isEmpty ? 0 : 20) + columnLabelHeight + 10
    let gridWidth = Double(columnLabels.count) * cellSize
    let gridHeight = Double(rowLabels.count) * cellSize
    // Column labels lean right (-40°): the last one reaches past the grid by ~cos 40° of its width.
    let lastLabel = ChartStyle.textWidth(columnLabels.last!, size: 12) * 0.77
    let right = max(20, lastLabel - cellSize / 2 + 12)
    let width = max(left + gridWidth + right, ChartStyle.textWidth(title, size: 16) + 40)
    let height = top + gridHeight + 20

    var svg = SVGWriter(width: width, height: height)
    svg.text(title, width / 2, 24, anchor: .middle, size: 16, bold: true, cssClass: "title")
    if !columnAxisLabel.isEmpty {
      svg.text(
        columnAxisLabel, left + gridWidth / 2, 50, anchor: .middle, bold: true,
        cssClass: "axis-label")
    }
    if !rowAxisLabel.isEmpty {
      svg.text(
        rowAxisLabel, 24, top + gridHeight / 2, anchor: .middle, bold: true, rotate: -90,
        cssClass: "axis-label")
    }
    for (c, label) in columnLabels.enumerated() {
      let x = left + (Double(c) + 0.5) * cellSize
      svg.text(label, x, top - 8, anchor: .start, rotate: -40, cssClass: "column-label")
    }
    for (r, label) in rowLabels.enumerated() {
      let y = top + (Double(r) + 0.5) * cellSize
      svg.text(label, left - 8, y + 4, anchor: .end, cssClass: "row-label")
      for (c, v) in values[r].enumerated() {
        let t = hi > lo ? (v - lo) / (hi - lo) : 0
        let x = left + Double(c) * cellSize
        let text = String(format: "%.\(places)f", v)
        svg.rect(
          x, top + Double(r) * cellSize, cellSize, cellSize, fill: Self.color(t),
          cssClass: "cell", stroke: "#ffffff",
          title: "\(rowLabels[r]) → \(columnLabels[c]): \(text)")
        svg.text(
          text, x + cellSize / 2, y + 4, anchor: .middle, size: min(13, cellSize / 3.5),
          fill: t > 0.55 ? "#ffffff" : "#1a1a1a", cssClass: "cell-value")
      }
    }
    return svg.document
  }

  /// Linear blend from near-white (t = 0) to dark blue (t = 1).
  static func color(_ t: Double) -> String {
    let t = min(1, max(0, t))
    let from = (247.0, 251.0, 255.0)
    let to = (8.0, 48.0, 107.0)
    func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
    let rgb = [mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2)]
    return "#" + rgb.map { String(format: "%02x", $0) }.joined()
  }
}
