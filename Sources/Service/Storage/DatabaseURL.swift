import Foundation

/// Where to store analyses: `sqlite:PATH` (the default, a file) or `postgres://user:pass@host:port/db`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
  case sqlite(path: String)
  case postgres(Postgres)

  /// The parts of a `postgres://` (or `postgresql://`) URL.
  public struct Postgres: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case disable, prefer, require }
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// From `?sslmode=`: `disable`, `prefer` (the default, as libpq) or `require`.
    public var tls: TLSMode
  }

  /// Parses `sqlite:PATH`, `sqlite://PATH` or a `postgres://` URL; nil with a reason otherwise.
  public static func parse(_ text: String) throws(ConfigurationError) -> DatabaseURL {
    if text.hasPrefix("sqlite:") {
      var path = String(text.dropFirst("sqlite:".count))
      if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
      guard !path.isEmpty else { throw ConfigurationError("database: sqlite: needs a file path") }
      return .sqlite(path: path)
    }
    guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
      let components = URLComponents(string: text), let host = components.host, !host.isEmpty
    else {
      throw ConfigurationError(
        "database: expected sqlite:PATH or postgres://user:password@host:port/database, got \(text)"
      )
    }
    let database = String(components.path.drop(while: { $0 == "/" }))
    guard !database.isEmpty else { throw ConfigurationError("database: URL names no database") }
    let port = components.port ?? 5432
    guard (1...65_535).contains(port) else {
      throw ConfigurationError("database: port \(port) is not in 1...65535")
    }
    var tls = Postgres.TLSMode.prefer
    for item in components.queryItems ?? [] where item.name == "sslmode" {
      guard let mode = item.value.flatMap(Postgres.TLSMode.init(rawValue:)) else {
        throw ConfigurationError("database: sslmode must be disable, prefer or require")
      }
      tls = mode
    }
    return .postgres(
      Postgres(
        host: host, port: port,
        user: components.percentEncodedUser?.removingPercentEncoding ?? "postgres",
        password: components.percentEncodedPassword?.removingPercentEncoding,
        database: database, tls: tls))
  }

  /// The URL without its password.
  public var description: String {
    switch self {
    case .sqlite(let path): "sqlite:\(path)"
    case .postgres(let p): "postgres://\(p.user)@\(p.host):\(p.port)/\(p.database)"
    }
  }
}
