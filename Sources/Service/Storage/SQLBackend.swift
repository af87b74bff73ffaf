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
