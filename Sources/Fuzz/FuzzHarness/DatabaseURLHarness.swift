import Service

/// Parses the bytes as a `--database` value. Checks that a parsed URL names a file or a host and
/// database, a port in 1...65535, and that its description (what logs show) is built from the user,
/// host, port and database alone, never the password.
enum DatabaseURLHarness {
  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    let text = FuzzInput.text(data)
    let url: DatabaseURL
    do {
      url = try DatabaseURL.parse(text)
    } catch {
      try FuzzFailure.require(!error.description.isEmpty, "empty error for '\(text)'")
      return
    }
    switch url {
    case .sqlite(let path):
      try FuzzFailure.require(!path.isEmpty, "sqlite URL without a path from '\(text)'")
      try FuzzFailure.require(url.description == "sqlite:\(path)", "description \(url)")
    case .postgres(let p):
      try FuzzFailure.require(!p.host.isEmpty && !p.database.isEmpty, "empty host or database")
      try FuzzFailure.require((1...65_535).contains(p.port), "port \(p.port) from '\(text)'")
      // Built from the other fields only, so it cannot carry the password.
      let expected = "postgres://\(p.user)@\(p.host):\(p.port)/\(p.database)"
      try FuzzFailure.require(url.description == expected, "description '\(url)' for '\(text)'")
    }
  }
}
