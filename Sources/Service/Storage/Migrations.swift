/// Every schema migration, oldest first. Add a step by appending a `Migration` with the next
/// version; never edit a released one (databases that already ran it would not run it again).
enum Migrations {
  /// Probability columns of `faces`, one per emotion (`p_angry`, …), in `Emotion` order.
  static let emotionColumns = [
    "p_angry", "p_disgust", "p_fear", "p_happy", "p_neutral", "p_sad", "p_surprise",
  ]

  static let all: [Migration] = [
    // Version 1 is the schema from before versioning. `IF NOT EXISTS` lets a database made by
    // that code adopt it unchanged, and records it as version 1.
    Migration(version: 1, name: "analyses, faces and API keys") { dialect in
      let id =
        dialect == .sqlite
        ? "id INTEGER PRIMARY KEY AUTOINCREMENT"
        : "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
      let probabilities = emotionColumns.map { "\($0) INTEGER NOT NULL" }.joined(separator: ", ")
      return [
        """
        CREATE TABLE IF NOT EXISTS analyses (\(id), created_at BIGINT NOT NULL, tag TEXT,
          model TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
          elapsed_ms DOUBLE PRECISION NOT NULL, face_count INTEGER NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS analyses_created ON analyses (created_at)",
        "CREATE INDEX IF NOT EXISTS analyses_tag ON analyses (tag, id)",
        """
        CREATE TABLE IF NOT EXISTS faces (analysis_id BIGINT NOT NULL, idx INTEGER NOT NULL,
          created_at BIGINT NOT NULL, tag TEXT, x INTEGER NOT NULL, y INTEGER NOT NULL,
          w INTEGER NOT NULL, h INTEGER NOT NULL, \(probabilities), dominant TEXT NOT NULL,
          PRIMARY KEY (analysis_id, idx))
        """,
        "CREATE INDEX IF NOT EXISTS faces_created ON faces (created_at)",
        "CREATE INDEX IF NOT EXISTS faces_tag_created ON faces (tag, created_at)",
        """
        CREATE TABLE IF NOT EXISTS api_keys (\(id), name TEXT NOT NULL, prefix TEXT NOT NULL,
          hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, revoked_at BIGINT)
        """,
      ]
    },
    // Version 2: uploaded videos, each one job that any worker may lease, and the results of
    // the analysed frames (faces per frame, one summary row per track).
    Migration(version: 2, name: "videos as jobs, their frames, faces and tracks") { dialect in
      let id =
        dialect == .sqlite
        ? "id INTEGER PRIMARY KEY AUTOINCREMENT"
        : "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
      let probabilities = emotionColumns.map { "\($0) INTEGER NOT NULL" }.joined(separator: ", ")
      return [
        // state: queued → running → done | failed. A running job whose lease_until has passed
        // is taken again by another worker (attempts counts the takes).
        """
        CREATE TABLE videos (\(id), created_at BIGINT NOT NULL, tag TEXT, name TEXT NOT NULL,
          bytes BIGINT NOT NULL, upload_file TEXT, keep_upload INTEGER NOT NULL,
          sampling TEXT NOT NULL, state TEXT NOT NULL, progress DOUBLE PRECISION NOT NULL,
          error TEXT, attempts INTEGER NOT NULL, lease_owner TEXT, lease_until BIGINT,
          started_at BIGINT, finished_at BIGINT, model TEXT, width INTEGER, height INTEGER,
          fps DOUBLE PRECISION, duration DOUBLE PRECISION, frame_count INTEGER,
          face_count INTEGER, track_count INTEGER)
        """,
        "CREATE INDEX videos_state ON videos (state, id)",
        """
        CREATE TABLE video_frames (video_id BIGINT NOT NULL, frame INTEGER NOT NULL,
          time DOUBLE PRECISION NOT NULL, second INTEGER NOT NULL, face_count INTEGER NOT NULL,
          PRIMARY KEY (video_id, frame))
        """,
        """
        CREATE TABLE video_faces (video_id BIGINT NOT NULL, frame INTEGER NOT NULL,
          idx INTEGER NOT NULL, time DOUBLE PRECISION NOT NULL, second INTEGER NOT NULL,
          track INTEGER NOT NULL, x INTEGER NOT NULL, y INTEGER NOT NULL, w INTEGER NOT NULL,
          h INTEGER NOT NULL, \(probabilities), dominant TEXT NOT NULL,
          PRIMARY KEY (video_id, frame, idx))
        """,
        """
        CREATE TABLE video_tracks (video_id BIGINT NOT NULL, track INTEGER NOT NULL,
          first DOUBLE PRECISION NOT NULL, last DOUBLE PRECISION NOT NULL,
          frames INTEGER NOT NULL, \(probabilities), PRIMARY KEY (video_id, track))
        """,
      ]
    },
    // Version 3: audience sessions. A session is one viewer watching one stimulus (an ad, a
    // talk) from `started_at`; each webcam frame recorded in it is an analysis with the
    // session's id and its offset from the start, so that sessions of one stimulus line up.
    Migration(version: 3, name: "audience sessions") { dialect in
      let id =
        dialect == .sqlite
        ? "id INTEGER PRIMARY KEY AUTOINCREMENT"
        : "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
      return [
        """
        CREATE TABLE sessions (\(id), stimulus TEXT NOT NULL, started_at BIGINT NOT NULL,
          created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX sessions_stimulus ON sessions (stimulus, id)",
        "ALTER TABLE analyses ADD COLUMN session_id BIGINT",
        "ALTER TABLE analyses ADD COLUMN offset_ms BIGINT",
        "CREATE INDEX analyses_session ON analyses (session_id, offset_ms)",
      ]
    },
    // Version 4: what the CNN detector says of each face: its score, five landmarks (ten
    // numbers, `x y` pairs separated by spaces) and its quality (size, sharpness, pose and the
    // `reliable` verdict, 0 or 1). Null for faces without a CNN detection (Haar, supplied
    // boxes, whole images, and faces recorded before this version).
    Migration(version: 4, name: "face detection quality") { _ in
      [
        ("detection_score", "DOUBLE PRECISION"), ("landmarks", "TEXT"),
        ("face_size", "DOUBLE PRECISION"), ("sharpness", "DOUBLE PRECISION"),
        ("roll", "DOUBLE PRECISION"), ("yaw", "DOUBLE PRECISION"),
        ("pitch", "DOUBLE PRECISION"), ("reliable", "INTEGER"),
      ].map { "ALTER TABLE faces ADD COLUMN \($0.0) \($0.1)" }
    },
  ]

  /// The newest version this build knows.
  static var latest: Int { all.last?.version ?? 0 }

  /// Brings the database to `latest` in one transaction: creates `schema_migrations`, reads the
  /// version, and applies each newer step with its record. Two servers starting together on
  /// one PostgreSQL take turns (an advisory lock); on SQLite the write transaction serialises
  /// them. A database newer than this build is refused, not downgraded.
  /// - Returns: the versions applied now (empty when the database was current).
  static func apply(
    on backend: any SQLBackend, now: Int64, steps: [Migration] = all
  ) async throws -> [Int] {
    let dialect = backend.dialect
    let database = backend.databaseName
    let latest = steps.last?.version ?? 0
    return try await backend.transaction { session in
      if dialect == .postgres {
        _ = try await session.query("SELECT pg_advisory_xact_lock(7265010)", [])
      }
      _ = try await session.query(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,
          name TEXT NOT NULL, applied_at BIGINT NOT NULL)
        """, [])
      let rows = try await session.query("SELECT MAX(version) FROM schema_migrations", [])
      let current = Int(rows.first?.first?.int64 ?? 0)
      guard current <= latest else {
        throw StorageError(
          database: database,
          message: "the database schema is at version \(current), newer than this emocl "
            + "knows (\(latest)); run a newer emocl")
      }
      var applied: [Int] = []
      for step in steps where step.version > current {
        for statement in step.statements(dialect) { _ = try await session.query(statement, []) }
        _ = try await session.query(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
          [.integer(Int64(step.version)), .text(step.name), .integer(now)])
        applied.append(step.version)
      }
      return applied
    }
  }
}
