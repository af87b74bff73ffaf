import Logging
import ServiceLifecycle

/// Beside the server: creates the tables (retrying while the database is down), then deletes
/// records past the retention period, at start and every hour.
struct StoreMaintenance: Service {
  let store: any AnalysisStore
  let retentionDays: Int?
  let now: @Sendable () -> Int64
  let logger: Logger

  func run() async throws {
    try? await cancelWhenGracefulShutdown {
      while true {
        do {
          try await store.migrate()
          break
        } catch {
          logger.warning("database not ready", metadata: ["error": "\(error)"])
          try await Task.sleep(for: .seconds(5))
        }
      }
      guard let days = retentionDays else {
        try await gracefulShutdown()
        return
      }
      while true {
        let cutoff = now() - Int64(days) * StatsBucketSize.day.micros
        do {
          let deleted = try await store.deleteOlder(than: cutoff)
          logger.info(
            "retention",
            metadata: ["deleted": "\(deleted)", "cutoff": "\(RFC3339.format(micros: cutoff))"])
        } catch {
          logger.warning("retention failed", metadata: ["error": "\(error)"])
        }
        try await Task.sleep(for: .seconds(3600))
      }
    }
  }
}
