/// Audience sessions on SQLite or PostgreSQL (see `AudienceSessionStore`).
extension SQLStore: AudienceSessionStore {
  static let sessionColumns = SQLColumns(["s.id", "s.stimulus", "s.started_at"])

  public func createSession(stimulus: String, startedAt: Int64, createdAt: Int64) async throws
    -> AudienceSession
  {
    let rows = try await backend.query(
      "INSERT INTO sessions (stimulus, started_at, created_at) VALUES ($1, $2, $3) RETURNING id",
      [.text(stimulus), .integer(startedAt), .integer(createdAt)])
    guard let id = rows.first?.first?.int64 else {
      throw StorageError(database: databaseName, message: "INSERT returned no session")
    }
    return AudienceSession(id: id, stimulus: stimulus, startedAt: startedAt)
  }

  private func sessionRecord(_ values: [SQLValue], frames: Int) throws -> AudienceSession {
    let row = Self.sessionColumns.row(values)
    guard let id = row["id"].int64, let stimulus = row["stimulus"].string,
      let started = row["started_at"].int64
    else { throw StorageError(database: databaseName, message: "unexpected sessions row") }
    return AudienceSession(id: id, stimulus: stimulus, startedAt: started, frames: frames)
  }

  public func deleteSession(id: Int64) async throws -> Int? {
    try await backend.transaction { session in
      let frames = try await Self.deleteAnalyses(
        where: "session_id = $1", [.integer(id)], in: session)
      let removed = try await session.query(
        "DELETE FROM sessions WHERE id = $1 RETURNING id", [.integer(id)])
      return removed.isEmpty ? nil : frames
    }
  }

  public func session(id: Int64) async throws -> AudienceSession? {
    try await sessionsWithFrames(where: "WHERE s.id = $1", [.integer(id)], limit: 1).first
  }

  public func sessions(stimulus: String?, limit: Int) async throws -> [AudienceSession] {
    guard let stimulus else { return try await sessionsWithFrames(where: "", [], limit: limit) }
    return try await sessionsWithFrames(
      where: "WHERE s.stimulus = $1", [.text(stimulus)], limit: limit)
  }

  /// Sessions matching `whereClause` (over `s`, binding `binds` as $1…), newest first, at most
  /// `limit`, each with the number of frames recorded in it.
  private func sessionsWithFrames(where whereClause: String, _ binds: [SQLValue], limit: Int)
    async throws -> [AudienceSession]
  {
    let binds = binds + [SQLValue(max(0, limit))]
    let rows = try await backend.query(
      """
      SELECT \(Self.sessionColumns.list),
        (SELECT COUNT(*) FROM analyses a WHERE a.session_id = s.id) AS frames
      FROM sessions s \(whereClause) ORDER BY s.id DESC LIMIT $\(binds.count)
      """, binds)
    return try rows.map { values in
      try sessionRecord(Array(values.prefix(3)), frames: Int(values.last?.int64 ?? 0))
    }
  }

  public func reactionSums(stimulus: String) async throws -> [SessionSecondSums] {
    let sums = Self.emotionColumns.map { "SUM(f.\($0))" }.joined(separator: ", ")
    // offset_ms is never negative, so integer division floors in both databases.
    let rows = try await backend.query(
      """
      SELECT a.session_id, a.offset_ms / 1000 AS second, COUNT(*), \(sums)
      FROM faces f JOIN analyses a ON a.id = f.analysis_id
      JOIN sessions s ON s.id = a.session_id
      WHERE s.stimulus = $1 AND a.offset_ms IS NOT NULL
      GROUP BY a.session_id, second ORDER BY second, a.session_id
      """, [.text(stimulus)])
    return try rows.map { row in
      let numbers = row.map(\.int64)
      guard row.count == 3 + 7, numbers.allSatisfy({ $0 != nil }) else {
        throw StorageError(database: databaseName, message: "unexpected reaction row")
      }
      let n = numbers.map { $0! }
      return SessionSecondSums(
        sessionID: n[0], second: Int(n[1]), faces: Int(n[2]),
        sums: n[3...].map { Double($0) / Self.probabilityScale })
    }
  }
}
