/// Where the service keeps analyses and API keys. SQLite and PostgreSQL implement it with the same
/// SQL (`SQLStore`), and the same test suite runs against both.
public protocol AnalysisStore: Sendable {
  /// Names the database for people and for `/readyz`, e.g. "PostgreSQL localhost:5432/emocl".
  var databaseName: String { get }
  /// Creates or upgrades the tables; safe to run from several servers at once.
  func migrate() async throws
  /// Succeeds when the database answers a trivial query.
  func ping() async throws
  /// Records analyses in one transaction, all or nothing; returns them with their ids, in order.
  func insert(_ analyses: [NewAnalysis]) async throws -> [AnalysisRecord]
  /// Newest first (highest id first), at most `limit`, only ids below `before` when given.
  func list(_ filter: AnalysisFilter, before: Int64?, limit: Int) async throws -> [AnalysisRecord]
  /// Deletes one analysis; false when there is none with that id.
  func delete(id: Int64) async throws -> Bool
  /// Deletes every analysis recorded before `cutoff`; returns how many.
  func deleteOlder(than cutoff: Int64) async throws -> Int
  /// Per UTC bucket, oldest first; buckets without faces are absent. With
  /// `quality.reliableOnly`, the means and dominant counts cover the reliable faces only (a
  /// bucket may then have none), and each bucket counts the others.
  func stats(_ filter: AnalysisFilter, bucket: StatsBucketSize, quality: StatsQuality)
    async throws -> [StatsBucket]
  /// Stores a new API key's hash (hex SHA-256) and prefix.
  func createKey(name: String, prefix: String, hash: String, createdAt: Int64) async throws
    -> APIKeyRecord
  /// All keys, revoked ones included, oldest first.
  func listKeys() async throws -> [APIKeyRecord]
  /// Marks a key revoked; false when no such unrevoked key.
  func revokeKey(id: Int64, at: Int64) async throws -> Bool
  /// Hex SHA-256 of every unrevoked key, and whether any key (revoked ones included) exists.
  /// Once a key has been created, `/api` needs a valid key even if all keys are revoked.
  func apiKeyHashes() async throws -> (active: Set<String>, anyExists: Bool)
}

extension AnalysisStore {
  /// ``stats(_:bucket:quality:)`` over every face.
  public func stats(_ filter: AnalysisFilter, bucket: StatsBucketSize) async throws
    -> [StatsBucket]
  {
    try await stats(filter, bucket: bucket, quality: .all)
  }

  /// Records one analysis, all or nothing; returns it with its id.
  public func insert(
    createdAt: Int64, tag: String?, model: String, result: AnalysisResult, elapsedMs: Double
  ) async throws -> AnalysisRecord {
    let records = try await insert([
      NewAnalysis(
        createdAt: createdAt, tag: tag, model: model, result: result, elapsedMs: elapsedMs)
    ])
    guard let record = records.first else {
      throw StorageError(database: databaseName, message: "the insert returned no record")
    }
    return record
  }
}
