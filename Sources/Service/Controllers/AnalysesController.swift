import Hummingbird

/// `GET /api/v1/analyses` (newest first, paged, JSON or CSV) and
/// `DELETE /api/v1/analyses/{id}`: the recorded analyses.
struct AnalysesController: Sendable {
  let store: any AnalysisStore

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/api/v1/analyses", [.get: list])
    routes.add("/api/v1/analyses/:id", [.delete: delete])
  }

  func list(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
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
      return CSVDocument(text: CSV.records(page), filename: "analyses.csv")
    }
    return Wire.RecordPage(
      analyses: page.map { Wire.Record(record: $0) },
      nextBefore: records.count > limit ? page.last?.id : nil)
  }

  func delete(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    let id = try context.recordID()
    guard try await store.delete(id: id) else {
      throw Problem(.notFound, kind: "not-found", detail: "no analysis with id \(id)")
    }
    return Response(status: .noContent)
  }
}
