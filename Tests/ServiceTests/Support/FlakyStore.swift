import Service
import Synchronization

/// A real store whose database can be made to fail, as when the database server goes away.
final class FlakyStore: AnalysisStore {
  let inner: any AnalysisStore
  private let isDown = Mutex(false)
  private let keyReads = Mutex(0)
  private let insertsBeforeFailure = Mutex<Int?>(nil)

  /// Makes any insert of more than `count` analyses at once fail, as a connection lost
  /// half-way through a batch would (nil: never).
  func failInserts(above count: Int?) { insertsBeforeFailure.withLock { $0 = count } }

  /// How many times the API key table was read.
  var keyReadCount: Int { keyReads.withLock { $0 } }

  init(_ inner: any AnalysisStore) { self.inner = inner }

  var databaseName: String { inner.databaseName }

  func setDown(_ down: Bool) { isDown.withLock { $0 = down } }

  private func check() throws {
    if isDown.withLock({ $0 }) {
      throw StorageError(database: databaseName, message: "connection refused")
    }
  }

  func migrate() async throws {
    try check()
    try await inner.migrate()
  }
  func ping() async throws {
    try check()
    try await inner.ping()
  }
  func insert(_ analyses: [NewAnalysis]) async throws -> [AnalysisRecord] {
    try check()
    if let failAfter = insertsBeforeFailure.withLock({ $0 }), analyses.count > failAfter {
      throw StorageError(database: databaseName, message: "connection lost mid-batch")
    }
    return try await inner.insert(analyses)
  }
  func list(_ filter: AnalysisFilter, before: Int64?, limit: Int) async throws -> [AnalysisRecord] {
    try check()
    return try await inner.list(filter, before: before, limit: limit)
  }
  func delete(id: Int64) async throws -> Bool {
    try check()
    return try await inner.delete(id: id)
  }
  func deleteOlder(than cutoff: Int64) async throws -> Int {
    try check()
    return try await inner.deleteOlder(than: cutoff)
  }
  func stats(_ filter: AnalysisFilter, bucket: StatsBucketSize, quality: StatsQuality)
    async throws -> [StatsBucket]
  {
    try check()
    return try await inner.stats(filter, bucket: bucket, quality: quality)
  }
  func createKey(name: String, prefix: String, hash: String, createdAt: Int64) async throws
    -> APIKeyRecord
  {
    try check()
    return try await inner.createKey(name: name, prefix: prefix, hash: hash, createdAt: createdAt)
  }
  func listKeys() async throws -> [APIKeyRecord] {
    try check()
    return try await inner.listKeys()
  }
  func revokeKey(id: Int64, at time: Int64) async throws -> Bool {
    try check()
    return try await inner.revokeKey(id: id, at: time)
  }
  func apiKeyHashes() async throws -> (active: Set<String>, anyExists: Bool) {
    keyReads.withLock { $0 += 1 }
    try check()
    return try await inner.apiKeyHashes()
  }
}
