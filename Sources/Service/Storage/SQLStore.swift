import Datasets
import Foundation
import Logging
import Pipeline
import ServiceLifecycle

/// The one `AnalysisStore`: the same SQL on SQLite or PostgreSQL (only table definitions and the
/// migration lock differ), so both give the same answers.
///
/// Probabilities are stored as integer millionths: sums in statistics are then exact integer
/// arithmetic in both databases, and the means computed from them agree bit for bit.
public final class SQLStore: AnalysisStore {
  let backend: any SQLBackend
  /// Services to run beside the server (the PostgreSQL connection pool).
  public let services: [any Service]

  public var databaseName: String { backend.databaseName }

  /// Opens the database at `url` (an SQLite file is created if absent). For PostgreSQL, the
  /// returned `services` must run (in a ServiceGroup, or via `withStore`) before it is used.
  public init(url: DatabaseURL, logger: Logger, timeout: Duration = .seconds(5)) throws {
    switch url {
    case .sqlite(let path):
      backend = try SQLiteBackend(path: path)
      services = []
    case .postgres(let postgres):
      let backend = PostgresBackend(url: postgres, timeout: timeout, logger: logger)
      self.backend = backend
      services = [backend]
    }
  }

  /// Opens and migrates the store at `url`, runs its services while `body` runs, then stops them.
  /// `timeout` bounds each database operation (see `init`).
  public static func withStore<T: Sendable>(
    _ url: DatabaseURL, logger: Logger, timeout: Duration = .seconds(5),
    _ body: @Sendable (SQLStore) async throws -> T
  ) async throws -> T {
    let store = try SQLStore(url: url, logger: logger, timeout: timeout)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      for service in store.services { group.addTask { try await service.run() } }
      defer { group.cancelAll() }
      try await store.migrate()
      return try await body(store)
    }
  }

  // MARK: Schema

  static let probabilityScale = 1_000_000.0
  static let emotionColumns = Emotion.allCases.map { "p_\($0.rawValue)" }

  public func migrate() async throws {
    let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    _ = try await Migrations.apply(on: backend, now: now)
  }

  /// Runs one SQL statement without parameters, for tests and maintenance within the package.
  package func execute(_ sql: String) async throws -> Int {
    try await backend.query(sql, []).count
  }

  /// The schema versions recorded in the database, oldest first.
  public func schemaVersions() async throws -> [Int] {
    try await backend.query("SELECT version FROM schema_migrations ORDER BY version", [])
      .compactMap { $0.first?.int64.map(Int.init) }
  }

  public func ping() async throws {
    _ = try await backend.query("SELECT 1", [])
  }

  // MARK: Analyses

  public func insert(_ analyses: [NewAnalysis]) async throws -> [AnalysisRecord] {
    guard !analyses.isEmpty else { return [] }
    let ids: [Int64] = try await backend.transaction { session in
      var ids: [Int64] = []
      for analysis in analyses { ids.append(try await self.insert(analysis, in: session)) }
      return ids
    }
    return zip(ids, analyses).map { id, analysis in
      let storedFaces = analysis.result.faces.map { face in
        var stored = face
        stored.emotions = EmotionScores(
          probabilities: face.emotions.probabilities.map {
            Double(Self.toMillionths($0)) / Self.probabilityScale
          })!
        return stored
      }
      return AnalysisRecord(
        id: id, createdAt: analysis.createdAt, tag: analysis.tag, model: analysis.model,
        width: analysis.result.width, height: analysis.result.height,
        elapsedMs: analysis.elapsedMs, faces: storedFaces)
    }
  }

  /// Inserts one analysis and its faces inside the caller's transaction; returns its id.
  private func insert(_ analysis: NewAnalysis, in session: any SQLSession) async throws -> Int64 {
    let faceRows = analysis.result.faces.map { face -> [SQLValue] in
      [
        .integer(Int64(face.box.x)), .integer(Int64(face.box.y)),
        .integer(Int64(face.box.width)), .integer(Int64(face.box.height)),
      ] + face.emotions.probabilities.map { SQLValue.integer(Self.toMillionths($0)) }
        + [SQLValue.text(face.dominant.rawValue)] + Self.detectionValues(face.detection)
    }
    let rows = try await session.query(
      """
      INSERT INTO analyses (created_at, tag, model, width, height, elapsed_ms, face_count,
        session_id, offset_ms)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
      """,
      [
        .integer(analysis.createdAt), SQLValue(analysis.tag), .text(analysis.model),
        SQLValue(analysis.result.width), SQLValue(analysis.result.height),
        .real(analysis.elapsedMs), SQLValue(faceRows.count),
        SQLValue(analysis.session?.sessionID), SQLValue(analysis.session?.offsetMs),
      ])
    guard let id = rows.first?.first?.int64 else {
      throw StorageError(database: databaseName, message: "INSERT returned no id")
    }
    // Up to 50 faces per statement keeps well under both databases' parameter limits.
    var start = 0
    while start < faceRows.count {
      let chunk = faceRows[start..<min(start + 50, faceRows.count)]
      var binds: [SQLValue] = [.integer(id), .integer(analysis.createdAt), SQLValue(analysis.tag)]
      var tuples: [String] = []
      for (offset, row) in chunk.enumerated() {
        var placeholders = ["$1", "$\(binds.count + 1)", "$2", "$3"]
        binds.append(.integer(Int64(start + offset)))
        for value in row {
          binds.append(value)
          placeholders.append("$\(binds.count)")
        }
        tuples.append("(\(placeholders.joined(separator: ", ")))")
      }
      let columns = (Self.emotionColumns + ["dominant"] + Self.detectionColumns)
        .joined(separator: ", ")
      _ = try await session.query(
        """
        INSERT INTO faces (analysis_id, idx, created_at, tag, x, y, w, h, \(columns))
        VALUES \(tuples.joined(separator: ", "))
        """, binds)
      start += chunk.count
    }
    return id
  }

  static func toMillionths(_ p: Double) -> Int64 {
    guard p.isFinite else { return 0 }
    return Int64((min(max(p, 0), 1) * probabilityScale).rounded())
  }

  /// `WHERE` terms for a filter on a table with `created_at` and `tag`, appending the binds.
  private static func conditions(
    _ filter: AnalysisFilter, column prefix: String, binds: inout [SQLValue]
  ) -> [String] {
    var terms: [String] = []
    if let tag = filter.tag {
      binds.append(.text(tag))
      terms.append("\(prefix)tag = $\(binds.count)")
    }
    if let from = filter.from {
      binds.append(.integer(from))
      terms.append("\(prefix)created_at >= $\(binds.count)")
    }
    if let to = filter.to {
      binds.append(.integer(to))
      terms.append("\(prefix)created_at < $\(binds.count)")
    }
    return terms
  }

  public func list(_ filter: AnalysisFilter, before: Int64?, limit: Int) async throws
    -> [AnalysisRecord]
  {
    var binds: [SQLValue] = []
    var terms = Self.conditions(filter, column: "", binds: &binds)
    if let before {
      binds.append(.integer(before))
      terms.append("id < $\(binds.count)")
    }
    binds.append(SQLValue(max(0, limit)))
    let whereClause = terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND ")
    let columns = Self.listColumns
    let rows = try await backend.query(
      """
      SELECT \(columns.list)
      FROM (SELECT * FROM analyses \(whereClause) ORDER BY id DESC LIMIT $\(binds.count)) a
      LEFT JOIN faces f ON f.analysis_id = a.id
      ORDER BY a.id DESC, f.idx
      """, binds)
    var records: [AnalysisRecord] = []
    for values in rows {
      let row = columns.row(values)
      guard let id = row["id"].int64, let createdAt = row["created_at"].int64,
        let model = row["model"].string, let width = row["width"].int64,
        let height = row["height"].int64, let elapsed = row["elapsed_ms"].double
      else { throw StorageError(database: databaseName, message: "unexpected analyses row") }
      if records.last?.id != id {
        records.append(
          AnalysisRecord(
            id: id, createdAt: createdAt, tag: row["tag"].string, model: model, width: Int(width),
            height: Int(height), elapsedMs: elapsed, faces: []))
      }
      guard row["idx"] != .null else { continue }  // an analysis without faces
      let numbers = (["x", "y", "w", "h"] + Self.emotionColumns).map { row[$0].int64 }
      guard numbers.allSatisfy({ $0 != nil }),
        let dominant = row["dominant"].string.flatMap(Emotion.init)
      else { throw StorageError(database: databaseName, message: "unexpected faces row") }
      let n = numbers.map { $0! }
      let box = PixelBox(x: Int(n[0]), y: Int(n[1]), width: Int(n[2]), height: Int(n[3]))
      let scores = EmotionScores(probabilities: n[4...].map { Double($0) / Self.probabilityScale })!
      var face = FaceResult(box: box, emotions: scores, detection: Self.detection(row))
      face.dominant = dominant
      records[records.count - 1].faces.append(face)
    }
    return records
  }

  /// The columns `list` reads, by name: the analysis, then its faces (null without faces).
  static let listColumns = SQLColumns(
    ["a.id", "a.created_at", "a.tag", "a.model", "a.width", "a.height", "a.elapsed_ms"]
      + (["idx", "x", "y", "w", "h"] + emotionColumns + ["dominant"] + detectionColumns)
      .map { "f.\($0)" })

  public func delete(id: Int64) async throws -> Bool {
    try await backend.transaction { session in
      try await Self.deleteAnalyses(where: "id = $1", [.integer(id)], in: session) > 0
    }
  }

  /// Deletes the analyses `condition` selects (SQL over `analyses`, binds from `$1`) with their
  /// faces, in `session`; returns how many analyses went.
  static func deleteAnalyses(
    where condition: String, _ binds: [SQLValue], in session: any SQLSession
  ) async throws -> Int {
    _ = try await session.query(
      "DELETE FROM faces WHERE analysis_id IN (SELECT id FROM analyses WHERE \(condition))", binds)
    return try await session.query(
      "DELETE FROM analyses WHERE \(condition) RETURNING id", binds
    ).count
  }

  public func deleteOlder(than cutoff: Int64) async throws -> Int {
    try await backend.transaction { session in
      _ = try await session.query("DELETE FROM faces WHERE created_at < $1", [.integer(cutoff)])
      let rows = try await session.query(
        "DELETE FROM analyses WHERE created_at < $1 RETURNING id", [.integer(cutoff)])
      return rows.count
    }
  }

  public func stats(_ filter: AnalysisFilter, bucket: StatsBucketSize, quality: StatsQuality)
    async throws -> [StatsBucket]
  {
    var binds: [SQLValue] = [.integer(bucket.micros)]
    let terms = Self.conditions(filter, column: "", binds: &binds)
    let whereClause = terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND ")
    let reliable = Self.reliableCondition(quality.limits, binds: &binds)
    // With reliableOnly, sums and counts take only reliable faces; COUNT(*) keeps them all.
    let included = quality.reliableOnly ? "(\(reliable))" : "1 = 1"
    let sums = Self.emotionColumns.map { "SUM(CASE WHEN \(included) THEN \($0) ELSE 0 END)" }
      .joined(separator: ", ")
    let counts = Emotion.allCases.map {
      "SUM(CASE WHEN \(included) AND dominant = '\($0.rawValue)' THEN 1 ELSE 0 END)"
    }.joined(separator: ", ")
    // Integer division floors for the non-negative times stored, in both databases.
    let rows = try await backend.query(
      """
      SELECT (created_at / $1) * $1 AS bucket, COUNT(*),
        SUM(CASE WHEN \(included) THEN 1 ELSE 0 END),
        SUM(CASE WHEN \(reliable) THEN 0 ELSE 1 END), \(sums), \(counts)
      FROM faces \(whereClause) GROUP BY bucket ORDER BY bucket
      """, binds)
    return try rows.map { row in
      let numbers = row.map { $0.int64 }
      guard row.count == 4 + 14, numbers.allSatisfy({ $0 != nil }), numbers[1]! > 0 else {
        throw StorageError(database: databaseName, message: "unexpected statistics row")
      }
      let n = numbers.map { $0! }
      let count = Double(max(n[2], 1))
      return StatsBucket(
        start: n[0], faces: Int(n[2]),
        meanProbabilities: n[4..<11].map { Double($0) / Self.probabilityScale / count },
        dominantCounts: n[11..<18].map { Int($0) }, unreliable: Int(n[3]))
    }
  }

  /// SQL that is true for a face of `faces` passing `limits`, appending the limits to `binds`:
  /// the box's shorter side for every face; sharpness, yaw and pitch where they were stored.
  static func reliableCondition(_ limits: FaceQuality.Limits, binds: inout [SQLValue])
    -> String
  {
    func bind(_ value: Double) -> String {
      binds.append(.real(value))
      return "$\(binds.count)"
    }
    return """
      (CASE WHEN w < h THEN w ELSE h END) >= \(bind(limits.minSize)) \
      AND (sharpness IS NULL OR sharpness >= \(bind(limits.minSharpness))) \
      AND (yaw IS NULL OR ABS(yaw) <= \(bind(limits.maxYaw))) \
      AND (pitch IS NULL OR ABS(pitch) <= \(bind(limits.maxPitch)))
      """
  }

  // MARK: API keys

  public func createKey(name: String, prefix: String, hash: String, createdAt: Int64) async throws
    -> APIKeyRecord
  {
    let rows = try await backend.query(
      "INSERT INTO api_keys (name, prefix, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
      [.text(name), .text(prefix), .text(hash), .integer(createdAt)])
    guard let id = rows.first?.first?.int64 else {
      throw StorageError(database: databaseName, message: "INSERT returned no id")
    }
    return APIKeyRecord(id: id, name: name, prefix: prefix, createdAt: createdAt, revokedAt: nil)
  }

  static let keyColumns = SQLColumns(["id", "name", "prefix", "created_at", "revoked_at"])

  public func listKeys() async throws -> [APIKeyRecord] {
    let columns = Self.keyColumns
    let rows = try await backend.query(
      "SELECT \(columns.list) FROM api_keys ORDER BY id", [])
    return try rows.map { values in
      let row = columns.row(values)
      guard let id = row["id"].int64, let name = row["name"].string,
        let prefix = row["prefix"].string, let created = row["created_at"].int64
      else { throw StorageError(database: databaseName, message: "unexpected api_keys row") }
      return APIKeyRecord(
        id: id, name: name, prefix: prefix, createdAt: created, revokedAt: row["revoked_at"].int64)
    }
  }

  public func revokeKey(id: Int64, at time: Int64) async throws -> Bool {
    let rows = try await backend.query(
      "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id",
      [.integer(time), .integer(id)])
    return !rows.isEmpty
  }

  public func apiKeyHashes() async throws -> (active: Set<String>, anyExists: Bool) {
    let rows = try await backend.query("SELECT hash, revoked_at FROM api_keys", [])
    let active = rows.filter { $0.count == 2 && $0[1] == .null }.compactMap { $0.first?.string }
    return (Set(active), !rows.isEmpty)
  }
}
