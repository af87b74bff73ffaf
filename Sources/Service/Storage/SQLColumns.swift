/// A SELECT's column list, so that rows are read by column name rather than by position: the
/// same list writes the SQL (`list`) and finds each value (`row[name]`), so adding or reordering
/// a column cannot shift the reads.
struct SQLColumns: Sendable {
  /// Column expressions as written in the SELECT, e.g. `v.id`.
  let names: [String]
  private let positions: [String: Int]

  /// `names` may carry a table alias (`v.id`); rows are read by the name after the dot.
  init(_ names: [String]) {
    self.names = names
    var positions: [String: Int] = [:]
    for (i, name) in names.enumerated() {
      positions[String(name.split(separator: ".").last ?? Substring(name))] = i
    }
    self.positions = positions
  }

  /// The comma-separated list for the SELECT.
  var list: String { names.joined(separator: ", ") }

  /// One row of a query that selected `list`.
  func row(_ values: [SQLValue]) -> Row { Row(values: values, positions: positions) }

  /// Values of one row, by column name.
  struct Row {
    let values: [SQLValue]
    let positions: [String: Int]

    /// The value of column `name`; `.null` for a name not in the list (a programming error
    /// that the storage tests would catch as a missing value).
    subscript(_ name: String) -> SQLValue {
      guard let i = positions[name], i < values.count else { return .null }
      return values[i]
    }
  }
}
