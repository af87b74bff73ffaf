import Hummingbird

extension EmoclService {
  /// Every route, registered on `router` (the `/api/` ones behind `apiGuard`). Returns what was
  /// registered, for `routes()` and the tests that check each route's guard.
  @discardableResult
  func addRoutes(to router: Router<EmoclRequestContext>, guard apiGuard: APIGuardMiddleware)
    -> [RouteDescription]
  {
    var registrar = RouteRegistrar(router: router, guard: apiGuard)
    registrar.add("/", [.get: page("index.html")])
    registrar.add("/dashboard", [.get: page("dashboard.html")])
    registrar.add("/models", [.get: page("models.html")])
    registrar.add("/static/:file", [.get: staticFile])
    registrar.add("/openapi.json", [.get: page("openapi.json")])
    registrar.add("/healthz", [.get: health])
    registrar.add("/readyz", [.get: ready])
    registrar.add("/metrics", [.get: metricsText])
    registrar.add("/api/v1/analyze", [.post: analyze])
    registrar.add("/api/v1/analyze/batch", [.post: analyzeBatch])
    registrar.add("/api/v1/models", [.get: listModels])
    registrar.add("/api/v1/analyses", [.get: listAnalyses])
    registrar.add("/api/v1/analyses/:id", [.delete: deleteAnalysis])
    registrar.add("/api/v1/stats", [.get: stats])
    return registrar.routes
  }

  /// Every route the service answers, with its methods and whether it needs an API key: the
  /// same registration `makeApplication()` performs, on a throwaway router.
  public func routes() -> [RouteDescription] {
    let router = Router(context: EmoclRequestContext.self)
    return addRoutes(to: router, guard: APIGuardMiddleware(keys: keys, limiter: nil))
  }

  // MARK: Operations

  private func health(_ request: Request, _ context: EmoclRequestContext) throws -> Response {
    try Wire.json(["status": "ok"])
  }

  /// Ready when at least one model is loaded and the database answers within its timeout.
  private func ready(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    guard !analyzer.models.isEmpty else {
      throw Problem(
        .serviceUnavailable, kind: "not-ready",
        detail: "no models loaded from \(configuration.modelsDirectory ?? "Models")",
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
    struct Ready: Encodable {
      var status: String
      var models: [String]
      var database: String
    }
    return try Wire.json(
      Ready(status: "ready", models: analyzer.models.map(\.name), database: store.databaseName))
  }

  private func metricsText(_ request: Request, _ context: EmoclRequestContext) -> Response {
    Wire.text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
  }

  private func listModels(_ request: Request, _ context: EmoclRequestContext) throws -> Response {
    try Wire.json(Wire.Models(models: analyzer.models, defaultModel: defaultModel))
  }

  private func listAnalyses(_ request: Request, _ context: EmoclRequestContext) async throws
    -> Response
  {
    let query = QueryParameters(request)
    let filter = try query.filter()
    let limit = try query.int("limit", in: 1...1000) ?? 50
    let before = try query.int64("before", minimum: 1)
    let format = try query.oneOf("format", ["json", "csv"], default: "json")
    // One extra row tells whether there is a next page.
    let records = try await store.list(filter, before: before, limit: limit + 1)
    let page = Array(records.prefix(limit))
    if format == "csv" {
      return Wire.text(
        CSV.records(page), contentType: "text/csv; charset=utf-8",
        headers: [.contentDisposition: "attachment; filename=\"analyses.csv\""])
    }
    return try Wire.json(
      Wire.RecordPage(
        analyses: page.map { Wire.Record(record: $0) },
        nextBefore: records.count > limit ? page.last?.id : nil))
  }

  private func deleteAnalysis(_ request: Request, _ context: EmoclRequestContext) async throws
    -> Response
  {
    guard let text = context.parameters.get("id"), let id = Int64(text), id >= 1 else {
      throw Problem.badParameter("id", "expected a whole number ≥ 1")
    }
    guard try await store.delete(id: id) else {
      throw Problem(.notFound, kind: "not-found", detail: "no analysis with id \(id)")
    }
    return Response(status: .noContent)
  }

  private func stats(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    let query = QueryParameters(request)
    let filter = try query.filter()
    let bucketName = try query.oneOf("bucket", ["hour", "day"], default: "hour")
    let format = try query.oneOf("format", ["json", "csv"], default: "json")
    let bucket = StatsBucketSize(rawValue: bucketName)!
    let buckets = try await store.stats(filter, bucket: bucket)
    if format == "csv" {
      return Wire.text(
        CSV.stats(buckets), contentType: "text/csv; charset=utf-8",
        headers: [.contentDisposition: "attachment; filename=\"stats.csv\""])
    }
    return try Wire.json(
      Wire.Stats(
        bucket: bucketName, tag: filter.tag, from: filter.from, to: filter.to,
        buckets: buckets.map(Wire.Bucket.init)))
  }

  // MARK: Page and static files

  private func page(_ name: String) -> Handler {
    let files = publicFiles
    return { _, _ in
      guard let file = files.files[name] else {
        throw Problem(.notFound, kind: "not-found", detail: "\(name) is not installed")
      }
      return file.response()
    }
  }

  private func staticFile(_ request: Request, _ context: EmoclRequestContext) throws -> Response {
    // Only names of files loaded at start are served: nothing outside Public/ is reachable.
    guard let name = context.parameters.get("file"), PublicFiles.isPlainName(name),
      let file = publicFiles.files[name]
    else {
      throw Problem(.notFound, kind: "not-found", detail: "no such file")
    }
    return file.response()
  }
}
