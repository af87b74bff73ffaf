/// A value bound to or read from SQL; the few types the schema uses.
enum SQLValue: Sendable, Equatable {
  case integer(Int64)
  case real(Double)
  case text(String)
  case null

  var int64: Int64? {
    switch self {
    case .integer(let v): v
    case .real(let v): Int64(exactly: v)
    default: nil
    }
  }

  var double: Double? {
    switch self {
    case .integer(let v): Double(v)
    case .real(let v): v
    default: nil
    }
  }

  var string: String? {
    if case .text(let s) = self { return s }
    return nil
  }

  init(_ value: String?) { self = value.map { .text($0) } ?? .null }
  init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
  init(_ value: Int) { self = .integer(Int64(value)) }
  init(_ value: Double) { self = .real(value) }
}

/// Which SQL a backend needs where SQLite and PostgreSQL differ (only DDL and locking).
enum SQLDialect: Sendable {
  case sqlite, postgres
}

/// One connection's worth of statements; parameters are written `$1`, `$2`, ... in both dialects.
protocol SQLSession: Sendable {
  func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]]
}

/// A database that `SQLStore` runs its SQL on.
protocol SQLBackend: SQLSession {
  var dialect: SQLDialect { get }
  var databaseName: String { get }
  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
  func transaction<T: Sendable>(
    _ body: @escaping @Sendable (any SQLSession) async throws -> T
  )
    async throws -> T
}
