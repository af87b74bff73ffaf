import Foundation
import Logging
import Pipeline
import Service
import Synchronization
import TestSupport
import Testing

/// The same storage suite on SQLite and PostgreSQL.
@Suite("Storage", .serialized)
struct StorageTests {
  static let hour: Int64 = 3_600_000_000
  /// 2026-11-27T00:00:00Z in microseconds.
  static let day0: Int64 = RFC3339.parse("2026-11-27T00:00:00Z")!

  static func face(_ p: [Double], x: Int = 1) -> FaceResult {
    FaceResult(
      box: PixelBox(x: x, y: 2, width: 30, height: 40), emotions: EmotionScores(probabilities: p)!)
  }

  static func result(_ faces: [FaceResult]) -> AnalysisResult {
    AnalysisResult(width: 640, height: 480, faces: faces)
  }

  @Test("insert then list: fields, order, paging, filters")
  func roundTrip() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let p = [0.1, 0.2, 0.05, 0.4, 0.1, 0.1, 0.05]
        let a = try await store.insert(
          createdAt: Self.day0, tag: "ad-1", model: "cnn",
          result: Self.result([Self.face(p), Self.face(p.reversed(), x: 9)]), elapsedMs: 12.5)
        let b = try await store.insert(
          createdAt: Self.day0 + Self.hour, tag: nil, model: "svm", result: Self.result([]),
          elapsedMs: 3)
        let c = try await store.insert(
          createdAt: Self.day0 + 2 * Self.hour, tag: "ad-1", model: "cnn",
          result: Self.result([Self.face([1, 0, 0, 0, 0, 0, 0])]), elapsedMs: 1)
        #expect(a.id < b.id && b.id < c.id)

        let all = try await store.list(AnalysisFilter(), before: nil, limit: 10)
        #expect(all.map(\.id) == [c.id, b.id, a.id], "\(url)")
        #expect(all[2] == a, "\(url)")
        #expect(all[2].faces.map(\.box.x) == [1, 9])
        #expect(all[2].faces[1].emotions.probabilities == p.reversed())
        #expect(all[1].faces.isEmpty && all[1].tag == nil && all[1].model == "svm")

        #expect(
          try await store.list(AnalysisFilter(), before: nil, limit: 2).map(\.id) == [c.id, b.id])
        #expect(try await store.list(AnalysisFilter(), before: b.id, limit: 2).map(\.id) == [a.id])
        #expect(
          try await store.list(AnalysisFilter(tag: "ad-1"), before: nil, limit: 9).map(\.id) == [
            c.id, a.id,
          ])
        let window = AnalysisFilter(from: Self.day0 + Self.hour, to: Self.day0 + 2 * Self.hour)
        #expect(try await store.list(window, before: nil, limit: 9).map(\.id) == [b.id])
      }
    }
  }

  @Test("probabilities are kept to six decimal places")
  func rounding() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let p = [0.123_456_7, 0.000_000_4, 0.2, 0.3, 0.1, 0.1, 0.176_542_9]
        let record = try await store.insert(
          createdAt: Self.day0, tag: nil, model: "cnn", result: Self.result([Self.face(p)]),
          elapsedMs: 1)
        let stored = try await store.list(AnalysisFilter(), before: nil, limit: 1)
        #expect(stored == [record])
        #expect(
          stored[0].faces[0].emotions.probabilities == [0.123457, 0, 0.2, 0.3, 0.1, 0.1, 0.176543])
      }
    }
  }

  @Test("statistics per hour and per day match sums computed here, on both databases")
  func statistics() async throws {
    // Faces at 00:10, 00:50, 01:30 on day 0 and 05:00 on day 1; one face tagged differently.
    let faces: [(Int64, String, [Double])] = [
      (Self.day0 + Self.hour / 6, "t", [0.1, 0.1, 0.1, 0.4, 0.1, 0.1, 0.1]),
      (Self.day0 + 5 * Self.hour / 6, "t", [0.3, 0.05, 0.05, 0.2, 0.2, 0.1, 0.1]),
      (Self.day0 + 3 * Self.hour / 2, "t", [0.0, 0.0, 0.0, 0.0, 0.9, 0.1, 0.0]),
      (Self.day0 + 29 * Self.hour, "t", [0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3]),
      (Self.day0 + Self.hour / 6, "other", [0.7, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]),
    ]
    @Sendable func expected(_ selected: [(Int64, String, [Double])], start: Int64) -> StatsBucket {
      // Means from the stored millionths, as the store computes them.
      let sums = (0..<7).map { k in selected.reduce(0) { $0 + Int64(($1.2[k] * 1e6).rounded()) } }
      var counts = [Int](repeating: 0, count: 7)
      for f in selected { counts[EmotionScores(probabilities: f.2)!.dominant.index] += 1 }
      return StatsBucket(
        start: start, faces: selected.count,
        meanProbabilities: sums.map { Double($0) / 1e6 / Double(selected.count) },
        dominantCounts: counts)
    }
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        for (time, tag, p) in faces {
          _ = try await store.insert(
            createdAt: time, tag: tag, model: "cnn", result: Self.result([Self.face(p)]),
            elapsedMs: 1)
        }
        let hourly = try await store.stats(AnalysisFilter(tag: "t"), bucket: .hour)
        #expect(
          hourly == [
            expected(Array(faces[0..<2]), start: Self.day0),
            expected([faces[2]], start: Self.day0 + Self.hour),
            expected([faces[3]], start: Self.day0 + 29 * Self.hour),
          ], "\(url)")
        let daily = try await store.stats(AnalysisFilter(tag: "t"), bucket: .day)
        #expect(
          daily == [
            expected(Array(faces[0..<3]), start: Self.day0),
            expected([faces[3]], start: Self.day0 + 24 * Self.hour),
          ], "\(url)")
        let all = try await store.stats(AnalysisFilter(), bucket: .day)
        #expect(all.first?.faces == 4)
        let window = try await store.stats(
          AnalysisFilter(from: Self.day0 + Self.hour, to: Self.day0 + 2 * Self.hour), bucket: .day)
        #expect(window == [expected([faces[2]], start: Self.day0)])
      }
    }
  }

  @Test("delete removes a record and its faces; retention removes old ones")
  func deletion() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let p = [0.1, 0.1, 0.1, 0.4, 0.1, 0.1, 0.1]
        let old = try await store.insert(
          createdAt: Self.day0, tag: nil, model: "cnn", result: Self.result([Self.face(p)]),
          elapsedMs: 1)
        let new = try await store.insert(
          createdAt: Self.day0 + 48 * Self.hour, tag: nil, model: "cnn",
          result: Self.result([Self.face(p)]), elapsedMs: 1)
        #expect(try await store.delete(id: new.id))
        #expect(try await !store.delete(id: new.id))
        #expect(try await store.stats(AnalysisFilter(), bucket: .day).map(\.faces) == [1])
        let again = try await store.insert(
          createdAt: Self.day0 + 48 * Self.hour, tag: nil, model: "cnn",
          result: Self.result([Self.face(p)]), elapsedMs: 1)
        #expect(try await store.deleteOlder(than: Self.day0 + Self.hour) == 1)
        #expect(
          try await store.list(AnalysisFilter(), before: nil, limit: 9).map(\.id) == [again.id])
        #expect(try await store.stats(AnalysisFilter(), bucket: .day).map(\.faces) == [1])
        _ = old
      }
    }
  }

  @Test("API keys: only hashes stored, revocation")
  func keys() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        #expect(try await store.apiKeyHashes() == ([], false))
        let (key, record) = try await APIKeys.create(name: "ci", in: store, now: Self.day0)
        let (key2, _) = try await APIKeys.create(name: "page", in: store, now: Self.day0)
        #expect(key.hasPrefix("emocl_") && key.count == 6 + 43 && key != key2)
        #expect(try await store.apiKeyHashes() == ([APIKeys.hash(key), APIKeys.hash(key2)], true))
        #expect(try await store.revokeKey(id: record.id, at: Self.day0 + 1))
        #expect(try await !store.revokeKey(id: record.id, at: Self.day0 + 2))
        #expect(try await store.apiKeyHashes() == ([APIKeys.hash(key2)], true))
        #expect(try await store.revokeKey(id: Self.listedID(key2, store), at: Self.day0 + 3))
        #expect(try await store.apiKeyHashes() == ([], true))
        let listed = try await store.listKeys()
        #expect(listed.map(\.name) == ["ci", "page"])
        #expect(listed[0].revokedAt == Self.day0 + 1 && listed[1].revokedAt == Self.day0 + 3)
        #expect(listed[0].prefix == String(key.prefix(12)))
      }
    }
  }

  /// The id of the stored key whose prefix matches `key`.
  static func listedID(_ key: String, _ store: SQLStore) async throws -> Int64 {
    try #require(try await store.listKeys().first { $0.prefix == APIKeys.shownPrefix(key) }).id
  }

  @Test("two stores on one database record concurrently without losing or duplicating")
  func concurrentWriters() async throws {
    try await TestDatabases.each { url in
      let perTask = 20
      let tasksPerStore = 3
      let ids = try await withThrowingTaskGroup(of: [Int64].self) { group in
        for storeIndex in 0..<2 {
          group.addTask {
            try await SQLStore.withStore(
              url, logger: Harness.logger, timeout: TestDatabases.timeout
            ) { store in
              try await withThrowingTaskGroup(of: [Int64].self) { inner in
                for t in 0..<tasksPerStore {
                  inner.addTask {
                    var ids: [Int64] = []
                    for i in 0..<perTask {
                      let r = try await store.insert(
                        createdAt: Self.day0 + Int64(i), tag: "s\(storeIndex)-t\(t)", model: "cnn",
                        result: Self.result([Self.face([0.1, 0.1, 0.1, 0.4, 0.1, 0.1, 0.1])]),
                        elapsedMs: 1)
                      ids.append(r.id)
                    }
                    return ids
                  }
                }
                return try await inner.reduce(into: []) { $0 += $1 }
              }
            }
          }
        }
        return try await group.reduce(into: [Int64]()) { $0 += $1 }
      }
      let total = 2 * tasksPerStore * perTask
      #expect(ids.count == total && Set(ids).count == total, "\(url)")
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let stored = try await store.list(AnalysisFilter(), before: nil, limit: 1000)
        #expect(Set(stored.map(\.id)) == Set(ids), "\(url)")
        #expect(stored.allSatisfy { $0.faces.count == 1 })
        #expect(try await store.stats(AnalysisFilter(), bucket: .day).map(\.faces) == [total])
      }
    }
  }

  @Test("an SQLite file keeps its records across reopening")
  func sqliteReopen() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let url = DatabaseURL.sqlite(path: directory.url.appendingPathComponent("a.sqlite").path)
    let record = try await SQLStore.withStore(
      url, logger: Harness.logger, timeout: TestDatabases.timeout
    ) { store in
      try await store.insert(
        createdAt: Self.day0, tag: "x", model: "cnn", result: Self.result([]), elapsedMs: 2)
    }
    let listed = try await SQLStore.withStore(
      url, logger: Harness.logger, timeout: TestDatabases.timeout
    ) { store in
      try await store.list(AnalysisFilter(), before: nil, limit: 5)
    }
    #expect(listed == [record])
  }

  /// Two servers started together on a new file: both switch it to WAL mode at once, a
  /// deadlock SQLite reports without calling the busy handler. Without the retry, about one
  /// start in ten failed with "database is locked".
  @Test("two stores opening a new SQLite file at the same moment both start")
  func sqliteSimultaneousOpen() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    for attempt in 0..<100 {
      let path = directory.url.appendingPathComponent("new-\(attempt).sqlite").path
      let failures = Mutex<[String]>([])
      let ready = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 2) { _ in
        // Both threads open only once both are running, so the two opens overlap.
        ready.add(1, ordering: .sequentiallyConsistent)
        while ready.load(ordering: .sequentiallyConsistent) < 2 {}
        do {
          _ = try SQLStore(url: .sqlite(path: path), logger: Harness.logger)
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
      let failed = failures.withLock { $0 }
      #expect(failed.isEmpty, "attempt \(attempt)")
      if !failed.isEmpty { return }
    }
  }

  @Test("an unreachable PostgreSQL fails fast with an error naming it")
  func postgresDown() async throws {
    // Port 1 on loopback: nothing listens, so connecting is refused.
    let url = try DatabaseURL.parse("postgres://emocl@127.0.0.1:1/none?sslmode=disable")
    let store = try SQLStore(url: url, logger: Harness.logger, timeout: .seconds(1))
    let start = ContinuousClock.now
    await withThrowingTaskGroup(of: Void.self) { group in
      for service in store.services { group.addTask { try await service.run() } }
      defer { group.cancelAll() }
      await #expect(throws: StorageError.self) { try await store.ping() }
      do {
        try await store.ping()
      } catch let error as StorageError {
        #expect(error.database == "PostgreSQL 127.0.0.1:1/none")
      } catch {
        Issue.record("unexpected error \(error)")
      }
    }
    #expect(ContinuousClock.now - start < .seconds(10))
  }
}
