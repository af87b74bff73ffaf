/// One connection's worth of statements; parameters are written `$1`, `$2`, ... in both dialects.
protocol SQLSession: Sendable {
  func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]]
}
