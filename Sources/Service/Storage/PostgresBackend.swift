import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// PostgreSQL through postgres-nio's connection pool. Every operation has a deadline, so a server
/// that is down makes requests fail in seconds instead of waiting for the pool's circuit breaker.
final class PostgresBackend: SQLBackend, Service {
  let dialect = SQLDialect.postgres
  let databaseName: String
  let client: PostgresClient
  private let timeout: Duration
  private let logger: Logger

  init(url: DatabaseURL.Postgres, timeout: Duration = .seconds(5), logger: Logger) {
    databaseName = "PostgreSQL \(url.host):\(url.port)/\(url.database)"
    let tls: PostgresClient.Configuration.TLS =
      switch url.tls {
      case .disable: .disable
      case .prefer: .prefer(.makeClientConfiguration())
      case .require: .require(.makeClientConfiguration())
      }
    var configuration = PostgresClient.Configuration(
      host: url.host, port: url.port, username: url.user, password: url.password,
      database: url.database, tls: tls)
    configuration.options.connectTimeout = timeout
    configuration.options.maximumConnections = 10
    client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    self.timeout = timeout
    self.logger = logger
  }

  /// Runs the connection pool until graceful shutdown or cancellation.
  func run() async throws { await client.run() }

  func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
    let query = try Self.makeQuery(sql, binds)
    return try await deadline {
      try await self.mapErrors {
        try await Self.collect(self.client.query(query, logger: self.logger))
      }
    }
  }

  func transaction<T: Sendable>(
    _ body: @escaping @Sendable (any SQLSession) async throws -> T
  )
    async throws -> T
  {
    try await deadline {
      try await self.mapErrors {
        try await self.client.withTransaction(logger: self.logger) { connection in
          try await body(Session(connection: connection, logger: self.logger, backend: self))
        }
      }
    }
  }

  private struct Session: SQLSession {
    let connection: PostgresConnection
    let logger: Logger
    let backend: PostgresBackend
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
      let query = try PostgresBackend.makeQuery(sql, binds)
      return try await backend.mapErrors {
        try await PostgresBackend.collect(connection.query(query, logger: logger))
      }
    }
  }

  static func makeQuery(_ sql: String, _ binds: [SQLValue]) throws -> PostgresQuery {
    var bindings = PostgresBindings(capacity: binds.count)
    for value in binds {
      switch value {
      case .integer(let v): bindings.append(v)
      case .real(let v): bindings.append(v)
      case .text(let v): bindings.append(v)
      case .null: bindings.appendNull()
      }
    }
    return PostgresQuery(unsafeSQL: sql, binds: bindings)
  }

  static func collect(_ rows: PostgresRowSequence) async throws -> [[SQLValue]] {
    var result: [[SQLValue]] = []
    for try await row in rows {
      var values: [SQLValue] = []
      for cell in row {
        guard cell.bytes != nil else {
          values.append(.null)
          continue
        }
        switch cell.dataType {
        case .int2, .int4, .int8: values.append(.integer(try cell.decode(Int64.self)))
        case .float4, .float8: values.append(.real(try cell.decode(Double.self)))
        default: values.append((try? cell.decode(String.self)).map { .text($0) } ?? .null)
        }
      }
      result.append(values)
    }
    return result
  }

  /// Fails with a `StorageError` if `body` has not finished within the timeout.
  private func deadline<T: Sendable>(_ body: @escaping @Sendable () async throws -> T)
    async throws -> T
  {
    let timeout = self.timeout
    let name = databaseName
    return try await withThrowingTaskGroup(of: T.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: timeout)
        throw StorageError(database: name, message: "no answer within \(timeout)")
      }
      defer { group.cancelAll() }
      return try await group.next()!
    }
  }

  /// Rewrites postgres-nio's deliberately vague errors as `StorageError`s that say what failed.
  private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as PSQLError {
      var message = "\(error.code)"
      if let serverMessage = error.serverInfo?[.message] { message += ": \(serverMessage)" }
      if let underlying = error.underlying { message += " (\(underlying))" }
      throw StorageError(database: databaseName, message: message)
    } catch let error as StorageError {
      throw error
    } catch is CancellationError {
      throw StorageError(database: databaseName, message: "cancelled")
    } catch {
      throw StorageError(database: databaseName, message: "\(error)")
    }
  }
}
