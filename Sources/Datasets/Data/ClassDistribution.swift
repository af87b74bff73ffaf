/// Per-class image counts of one or more datasets, side by side, as a text table.
public struct ClassDistribution: Sendable, Equatable {
  /// One dataset's counts.
  public struct Column: Sendable, Equatable {
    /// The heading (e.g. the folder name).
    public var title: String
    /// Images per class, in `classes` order.
    public var counts: [Int]

    /// A column titled `title` with `counts` per class.
    public init(title: String, counts: [Int]) {
      self.title = title
      self.counts = counts
    }

    /// Images in all classes.
    public var total: Int { counts.reduce(0, +) }
  }

  /// Class names, one per row.
  public var classes: [String]
  /// The datasets, one per column group.
  public var columns: [Column]

  /// A distribution over `classes`; every column must have one count per class.
  public init(classes: [String], columns: [Column]) {
    precondition(columns.allSatisfy { $0.counts.count == classes.count }, "one count per class")
    self.classes = classes
    self.columns = columns
  }

  /// The table: a row per class and a `total` row; for each column the count and its share of the
  /// column's total (in percent, 1 decimal). With several columns an `all` column sums them.
  ///
  ///     class       train            val
  ///     angry        3995  13.9%     467  13.0%
  ///     total       28709 100.0%    3589 100.0%
  public func table() -> String {
    var shown = columns
    if columns.count > 1 {
      let sums = classes.indices.map { row in columns.reduce(0) { $0 + $1.counts[row] } }
      shown.append(Column(title: "all", counts: sums))
    }
    let labelWidth = max(5, classes.map(\.count).max() ?? 0)
    let countWidths = shown.map { column in
      max(String(column.total).count, column.title.count - 7, 1)
    }
    func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
      let fill = String(repeating: " ", count: max(0, width - text.count))
      return left ? text + fill : fill + text
    }
    func share(_ count: Int, of total: Int) -> String {
      guard total > 0 else { return "-" }
      let tenths = (count * 1000 + total / 2) / total
      return "\(tenths / 10).\(tenths % 10)%"
    }
    var lines: [String] = []
    var header = pad("class", labelWidth, left: true)
    for (column, width) in zip(shown, countWidths) {
      header += "  " + pad(column.title, width + 7)
    }
    lines.append(header)
    for (row, name) in classes.enumerated() {
      var line = pad(name, labelWidth, left: true)
      for (column, width) in zip(shown, countWidths) {
        line += "  " + pad(String(column.counts[row]), width)
        line += " " + pad(share(column.counts[row], of: column.total), 6)
      }
      lines.append(line)
    }
    var footer = pad("total", labelWidth, left: true)
    for (column, width) in zip(shown, countWidths) {
      footer += "  " + pad(String(column.total), width)
      footer += " " + pad(column.total > 0 ? "100.0%" : "-", 6)
    }
    lines.append(footer)
    return lines.joined(separator: "\n") + "\n"
  }
}
