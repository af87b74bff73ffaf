import Hummingbird

/// `/healthz` (the process is up), `/readyz` (models loaded and the database answers) and
/// `/metrics` (Prometheus text). Open without a key, for load balancers and monitoring.
struct HealthController: Sendable {
  let analyzer: any EmotionAnalyzer
  let store: any AnalysisStore
  let metrics: ServiceMetrics
  let modelsDirectory: String?

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/healthz", [.get: { _, _ in Wire.Status(status: "ok") }])
    routes.add("/readyz", [.get: { _, _ in try await ready() }])
    routes.add(
      "/metrics",
      [
        .get: { _, _ in
          Wire.text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
      ])
  }

  /// Ready when at least one model is loaded and the database answers within its timeout.
  func ready() async throws -> Wire.Ready {
    guard !analyzer.models.isEmpty else {
      throw Problem(
        .serviceUnavailable, kind: "not-ready",
        detail: "no models loaded from \(modelsDirectory ?? "Models")",
        headers: [.retryAfter: "5"])
    }
    do {
      try await store.ping()
    } catch {
      throw Problem(
        .serviceUnavailable, kind: "database-unavailable",
        detail: "the \(store.databaseName) database is unavailable: \(error)",
        headers: [.retryAfter: "5"])
    }
    return Wire.Ready(
      status: "ready", models: analyzer.models.map(\.name), database: store.databaseName)
  }
}
