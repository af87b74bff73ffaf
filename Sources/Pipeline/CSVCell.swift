/// One text cell of the CSV files Emocl writes (RFC 4180), safe to open in a spreadsheet.
public enum CSVCell {
  /// `value` quoted when it holds a separator, quote or line break, and neutralised when a
  /// spreadsheet would read it as a formula (OWASP's rule: a cell that begins with `=`, `+`,
  /// `-`, `@`, tab or carriage return gets a leading `'`). Numbers are written without this.
  public static func text(_ value: String) -> String {
    var value = value
    if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
      value = "'" + value
    }
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return value
    }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
