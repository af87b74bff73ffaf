import Hummingbird

typealias Handler = @Sendable (Request, EmoclRequestContext) async throws -> Response

extension EmoclService {
  /// Every route. Each path answers other methods with 405 and an `Allow` header.
  func addRoutes(to router: Router<EmoclRequestContext>) {
    route(router, "/", [.get: page("index.html")])
    route(router, "/dashboard", [.get: page("dashboard.html")])
    route(router, "/models", [.get: page("models.html")])
    route(router, "/static/:file", [.get: staticFile])
    route(router, "/openapi.json", [.get: page("openapi.json")])
    route(router, "/healthz", [.get: health])
    route(router, "/readyz", [.get: ready])
    route(router, "/metrics", [.get: metricsText])
    route(router, "/api/v1/analyze", [.post: analyze])
    route(router, "/api/v1/analyze/batch", [.post: analyzeBatch])
    route(router, "/api/v1/models", [.get: listModels])
    route(router, "/api/v1/analyses", [.get: listAnalyses])
    route(router, "/api/v1/analyses/:id", [.delete: deleteAnalysis])
    route(router, "/api/v1/stats", [.get: stats])
  }

  private func route(
    _ router: Router<EmoclRequestContext>, _ path: RouterPath,
    _ handlers: [HTTPRequest.Method: Handler]
  ) {
    for (method, handler) in handlers {
      router.on(path, method: method) { request, context in try await handler(request, context) }
    }
    var allowed = handlers.keys.map(\.rawValue)
    if handlers[.get] != nil { allowed.append("HEAD") }
    let allow = allowed.sorted().joined(separator: ", ")
    for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch]
    where handlers[method] == nil {
      router.on(path, method: method) { request, _ -> Response in
        throw Problem(
          .methodNotAllowed, kind: "method-not-allowed",
          detail: "\(request.method) is not allowed here; use \(allow)", headers: [.allow: allow])
      }
    }
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
