import Foundation
import Logging
import PostgresNIO
import Service
import TestSupport

/// The databases a storage test runs on: a fresh SQLite file, and a fresh PostgreSQL database
/// when `EMOCL_TEST_POSTGRES` is set (by `make test`). Without it the PostgreSQL half is skipped
/// with a printed reason — except under CI=true, where that is a failure.
enum TestDatabases {
  struct MissingPostgres: Error, CustomStringConvertible {
    var description: String { "EMOCL_TEST_POSTGRES is not set under CI (run tests with make test)" }
  }

  /// The database timeout in storage tests: the tests share 2 cores with parallel test
  /// processes and builds, where PostgreSQL's first answer can take longer than the service's
  /// default of 5 s; a test of the timeout itself sets its own.
  static let timeout = Duration.seconds(60)

  static var postgresURL: String? {
    ProcessInfo.processInfo.environment["EMOCL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Runs `body` once per available backend with a new, empty database.
  static func each(_ body: @Sendable (DatabaseURL) async throws -> Void) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    try await body(.sqlite(path: directory.url.appendingPathComponent("test.sqlite").path))
    guard let base = try postgres() else { return }
    try await withFreshPostgres(base, body)
  }

  /// The PostgreSQL base URL, nil (printed skip) when absent outside CI.
  static func postgres() throws -> DatabaseURL.Postgres? {
    guard let text = postgresURL else {
      if SharedData.isCI { throw MissingPostgres() }
      print(
        "skipped: PostgreSQL half of the storage test (EMOCL_TEST_POSTGRES not set; make test sets it)"
      )
      return nil
    }
    guard case .postgres(let base) = try DatabaseURL.parse(text) else {
      throw ConfigurationError("EMOCL_TEST_POSTGRES is not a postgres:// URL")
    }
    return base
  }

  /// Creates `emocl_test_<random>` next to the base database, runs `body`, drops it.
  static func withFreshPostgres(
    _ base: DatabaseURL.Postgres, _ body: @Sendable (DatabaseURL) async throws -> Void
  ) async throws {
    let name = "emocl_test_\(UInt64.random(in: 0...UInt64.max))"
    try await admin(base, "CREATE DATABASE \(name)")
    var url = base
    url.database = name
    do {
      try await body(.postgres(url))
    } catch {
      try? await admin(base, "DROP DATABASE \(name) WITH (FORCE)")
      throw error
    }
    try await admin(base, "DROP DATABASE \(name) WITH (FORCE)")
  }

  private static func admin(_ base: DatabaseURL.Postgres, _ sql: String) async throws {
    let configuration = PostgresClient.Configuration(
      host: base.host, port: base.port, username: base.user, password: base.password,
      database: base.database, tls: .disable)
    let client = PostgresClient(configuration: configuration)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { await client.run() }
      defer { group.cancelAll() }
      try await client.query(PostgresQuery(unsafeSQL: sql))
    }
  }
}
