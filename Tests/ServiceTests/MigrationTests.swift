import Foundation
import Service
import TestSupport
import Testing

/// The schema is versioned: `migrate()` records each step in `schema_migrations`, adopts a
/// database made before versioning, is idempotent, and refuses a database newer than itself.
@Suite("Schema migrations", .serialized)
struct MigrationTests {
  @Test("a new database gets every version once; migrating again changes nothing")
  func fresh() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        #expect(try await store.schemaVersions() == [1, 2, 3, 4])
        try await store.migrate()
        try await store.migrate()
        #expect(try await store.schemaVersions() == [1, 2, 3, 4])
      }
    }
  }

  @Test("a database from before versioning keeps its rows, is recorded as version 1, then upgraded")
  func adoptsUnversioned() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let record = try await store.insert(
          createdAt: 1, tag: "old", model: "cnn",
          result: AnalysisResult(width: 4, height: 4, faces: []), elapsedMs: 1)
        // As the code before versioning left it: version 1's tables, no version table, none of
        // the later steps' tables and columns.
        for statement in [
          "DROP TABLE schema_migrations", "DROP TABLE videos", "DROP TABLE video_frames",
          "DROP TABLE video_faces", "DROP TABLE video_tracks", "DROP TABLE sessions",
          "DROP INDEX analyses_session", "ALTER TABLE analyses DROP COLUMN session_id",
          "ALTER TABLE analyses DROP COLUMN offset_ms",
        ]
          + [
            "detection_score", "landmarks", "face_size", "sharpness", "roll", "yaw", "pitch",
            "reliable",
          ].map({ "ALTER TABLE faces DROP COLUMN \($0)" })
        {
          _ = try await store.execute(statement)
        }
        try await store.migrate()
        #expect(try await store.schemaVersions() == [1, 2, 3, 4])
        let rows = try await store.list(AnalysisFilter(), before: nil, limit: 5)
        #expect(rows.map(\.id) == [record.id])
      }
    }
  }

  @Test("a database newer than this build is refused with a message")
  func refusesNewer() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        _ = try await store.execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)")
        await #expect {
          try await store.migrate()
        } throws: { error in
          "\(error)".contains("version 99, newer than this emocl")
        }
      }
    }
  }
}
