import Service

/// Parses the bytes as a time and formats what parses: the formatted text must parse to the same
/// instant. Also formats the first 8 bytes as a microsecond count: that must never crash, and for
/// years 0000...9999 (what four digits hold) must parse back to the same count.
enum RFC3339Harness {
  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    let text = FuzzInput.text(data)
    if let micros = RFC3339.parse(text) {
      try FuzzFailure.require(RFC3339.formattableRange.contains(micros), "'\(text)' -> \(micros)")
      let formatted = RFC3339.format(micros: micros)
      try FuzzFailure.require(
        RFC3339.parse(formatted) == micros,
        "'\(text)' -> \(micros) -> '\(formatted)', which does not parse back")
    }
    let micros = FuzzInput.int64(data)
    let formatted = RFC3339.format(micros: micros)
    if RFC3339.formattableRange.contains(micros) {
      try FuzzFailure.require(
        RFC3339.parse(formatted) == micros, "\(micros) -> '\(formatted)' does not parse back")
    }
  }
}
