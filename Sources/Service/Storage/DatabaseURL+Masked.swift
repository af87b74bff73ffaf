extension DatabaseURL {
  /// The URL to show in reports: every part but the password, which becomes `****` (so a reader
  /// sees that one is set), e.g. `postgres://emocl:****@db:5432/emocl?sslmode=require`.
  public var masked: String {
    switch self {
    case .sqlite(let path): return "sqlite:\(path)"
    case .postgres(let p):
      let user = p.password == nil ? p.user : "\(p.user):****"
      return "postgres://\(user)@\(p.host):\(p.port)/\(p.database)?sslmode=\(p.tls.rawValue)"
    }
  }

  /// `text` as ``masked`` shows it if it parses; otherwise only its scheme, since an unreadable
  /// URL may hold a password anywhere.
  public static func masked(_ text: String) -> String {
    if let url = try? DatabaseURL.parse(text) { return url.masked }
    let scheme = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
    let known = ["sqlite", "postgres", "postgresql"].contains(scheme.lowercased())
    return "\(known ? scheme + ":" : "")<unreadable URL, not shown>"
  }
}
