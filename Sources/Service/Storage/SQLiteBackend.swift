import CSQLite
import Dispatch
import Glibc

/// SQLite through Debian's libsqlite3: one connection per store, in WAL mode so several processes
/// can share the file. Statements run on a private serial queue (SQLite calls block), and an
/// async lock keeps a transaction's statements together.
final class SQLiteBackend: SQLBackend, @unchecked Sendable {
  // @unchecked: `db` is only used on `queue`, under `lock`.
  let dialect = SQLDialect.sqlite
  let databaseName: String
  private let db: OpaquePointer
  private let queue = DispatchQueue(label: "emocl.sqlite")
  private let lock = AsyncLock()
  private let path: String
  /// The file's device and inode when opened: if the path later names another file or none
  /// (deleted, replaced), writes would go to an unlinked file and be lost, so every statement
  /// fails instead and `/readyz` reports the database down.
  private let identity: FileIdentity

  /// Opens (creating if needed) the database file at `path`.
  init(path: String) throws {
    databaseName = "SQLite \(path)"
    self.path = path
    var handle: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
    let rc = sqlite3_open_v2(path, &handle, flags, nil)
    guard rc == SQLITE_OK, let handle else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close_v2(handle)
      throw StorageError(database: "SQLite \(path)", message: "cannot open: \(message)")
    }
    db = handle
    guard let identity = FileIdentity(path: path) else {
      sqlite3_close_v2(handle)
      throw StorageError(database: "SQLite \(path)", message: "cannot stat the database file")
    }
    self.identity = identity
    sqlite3_busy_timeout(db, 10_000)
    try switchToWAL()
    _ = try execute("PRAGMA synchronous=NORMAL", [])
  }

  deinit { sqlite3_close_v2(db) }

  /// Puts the file in WAL mode. Two connections that open a new file together both read it in
  /// rollback mode and both need the exclusive lock to switch; SQLite sees the deadlock and
  /// fails one with SQLITE_BUSY at once, without the busy handler, so that one retries here.
  private func switchToWAL() throws {
    let deadline = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
    while true {
      let rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nil, nil, nil)
      if rc == SQLITE_OK { return }
      guard rc & 0xff == SQLITE_BUSY || rc & 0xff == SQLITE_LOCKED,
        DispatchTime.now().uptimeNanoseconds < deadline
      else { throw failure("journal_mode=WAL") }
      usleep(5_000)
    }
  }

  func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
    try checkFile()
    return try await lock.withLock { try await self.onQueue { try self.execute(sql, binds) } }
  }

  /// Throws when the path no longer names the file this connection opened.
  private func checkFile() throws {
    guard FileIdentity(path: path) == identity else {
      throw StorageError(
        database: databaseName,
        message: "the database file was deleted or replaced since the server opened it")
    }
  }

  func transaction<T: Sendable>(
    _ body: @escaping @Sendable (any SQLSession) async throws -> T
  )
    async throws -> T
  {
    try checkFile()
    return try await lock.withLock {
      // IMMEDIATE takes the write lock now, so two writers wait (busy_timeout) instead of
      // failing when a read transaction would need upgrading.
      try await self.onQueue { _ = try self.execute("BEGIN IMMEDIATE", []) }
      do {
        let value = try await body(Session(backend: self))
        try await self.onQueue { _ = try self.execute("COMMIT", []) }
        return value
      } catch {
        try? await self.onQueue { _ = try self.execute("ROLLBACK", []) }
        throw error
      }
    }
  }

  /// Statements inside a transaction: the lock is already held.
  private struct Session: SQLSession {
    let backend: SQLiteBackend
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
      try await backend.onQueue { try backend.execute(sql, binds) }
    }
  }

  private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      queue.async { continuation.resume(with: Result { try work() }) }
    }
  }

  private func failure(_ what: String) -> StorageError {
    StorageError(database: databaseName, message: "\(what): \(String(cString: sqlite3_errmsg(db)))")
  }

  /// Runs one statement; parameters are bound by name (`$1`...), so a statement may use one
  /// parameter several times or skip some.
  private func execute(_ sql: String, _ binds: [SQLValue]) throws -> [[SQLValue]] {
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
      throw failure("prepare")
    }
    defer { sqlite3_finalize(statement) }
    // SQLITE_TRANSIENT: SQLite copies the text before the Swift string goes away.
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (k, value) in binds.enumerated() {
      let index = sqlite3_bind_parameter_index(statement, "$\(k + 1)")
      guard index > 0 else { continue }
      let rc: Int32
      switch value {
      case .integer(let v): rc = sqlite3_bind_int64(statement, index, v)
      case .real(let v): rc = sqlite3_bind_double(statement, index, v)
      case .text(let v): rc = sqlite3_bind_text(statement, index, v, -1, transient)
      case .null: rc = sqlite3_bind_null(statement, index)
      }
      guard rc == SQLITE_OK else { throw failure("bind") }
    }
    var rows: [[SQLValue]] = []
    while true {
      let rc = sqlite3_step(statement)
      if rc == SQLITE_DONE { break }
      guard rc == SQLITE_ROW else { throw failure("step") }
      let columns = sqlite3_column_count(statement)
      var row: [SQLValue] = []
      row.reserveCapacity(Int(columns))
      for c in 0..<columns {
        switch sqlite3_column_type(statement, c) {
        case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, c)))
        case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(statement, c)))
        case SQLITE_NULL: row.append(.null)
        default:
          if let text = sqlite3_column_text(statement, c) {
            row.append(.text(String(cString: text)))
          } else {
            row.append(.null)
          }
        }
      }
      rows.append(row)
    }
    return rows
  }
}
