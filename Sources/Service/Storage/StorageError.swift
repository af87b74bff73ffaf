/// The database could not be reached or answered with an error.
public struct StorageError: Error, Sendable, CustomStringConvertible {
  /// Which database, e.g. "SQLite /var/lib/emocl.db" or "PostgreSQL db.local:5432/emocl".
  public var database: String
  public var message: String

  public init(database: String, message: String) {
    self.database = database
    self.message = message
  }

  public var description: String { "\(database): \(message)" }
}
