import Foundation
import Hummingbird

/// Audience sessions: `POST /api/v1/sessions` (start one for a stimulus), `GET
/// /api/v1/sessions` (newest first, by stimulus), `GET` and `DELETE /api/v1/sessions/{id}`, and
/// `GET /api/v1/reactions?stimulus=…` (the curve over every session of a stimulus, JSON or CSV).
/// Frames are recorded with `POST /api/v1/analyze?session=ID&offset_ms=N`.
struct SessionsController: Sendable {
  let store: (any AudienceSessionStore)?
  let now: @Sendable () -> Int64
  /// How long a JSON body may take to arrive (`ServiceConfiguration.bodyTimeout`).
  let bodyTimeout: Duration

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/api/v1/sessions", [.post: create, .get: list])
    routes.add("/api/v1/sessions/:id", [.get: show, .delete: delete])
    routes.add("/api/v1/reactions", [.get: reaction])
  }

  private func sessions() throws -> any AudienceSessionStore {
    guard let store else {
      throw Problem(
        .notImplemented, kind: "sessions-unavailable",
        detail: "this server's store does not keep sessions")
    }
    return store
  }

  /// The stimulus: from the query, or from a JSON body `{"stimulus": "…"}`, not both.
  private func stimulus(_ request: Request, _ context: EmoclRequestContext) async throws -> String {
    // JSON or nothing: a form or text body is what another site's page can send without
    // asking (with the stimulus in its URL too), while no key is set.
    let body = RequestBodyReader.announcesBody(request)
    if body || request.headers[.contentType] != nil {
      guard AnalyzeController.mediaType(request) == "application/json" else {
        throw Problem(
          .unsupportedMediaType, kind: "not-json",
          detail: "send the stimulus as application/json {\"stimulus\": \"…\"}, or as ?stimulus= "
            + "without a body")
      }
    }
    if let value = try QueryParameters(request).string("stimulus", maxLength: 100) {
      guard !body else {
        throw Problem.badParameter("stimulus", "given in the query and in a body; give it once")
      }
      return try Self.checked(value)
    }
    guard body else {
      throw Problem.badParameter("stimulus", "required (query or JSON body)")
    }
    let bytes = try await RequestBodyReader.collect(request, limit: 4096, timeout: bodyTimeout)
    guard !bytes.isEmpty else {
      throw Problem.badParameter("stimulus", "required (query or JSON body)")
    }
    let data = Data(bytes)
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let value = object["stimulus"] as? String
    else { throw Problem.badParameter("stimulus", "expected a JSON body {\"stimulus\": \"…\"}") }
    guard value.count <= 100 else {
      throw Problem.badParameter("stimulus", "at most 100 characters")
    }
    return try Self.checked(value)
  }

  private static func checked(_ value: String) throws -> String {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
      throw Problem.badParameter("stimulus", "expected a non-empty name without control characters")
    }
    return trimmed
  }

  func create(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    let stimulus = try await stimulus(request, context)
    let time = now()
    let session = try await sessions().createSession(
      stimulus: stimulus, startedAt: time, createdAt: time)
    var response = try Wire.json(Wire.Session(session: session), status: .created)
    response.headers[.location] = "/api/v1/sessions/\(session.id)"
    return response
  }

  func list(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let query = QueryParameters(request)
    let stimulus = try query.string("stimulus", maxLength: 100)
    let limit = try query.int("limit", in: 1...1000) ?? 100
    return Wire.SessionList(
      sessions: try await sessions().sessions(stimulus: stimulus, limit: limit).map {
        Wire.Session(session: $0)
      })
  }

  func show(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let id = try context.recordID()
    guard let session = try await sessions().session(id: id) else {
      throw Problem(.notFound, kind: "not-found", detail: "no session with id \(id)")
    }
    return Wire.Session(session: session)
  }

  /// `DELETE /api/v1/sessions/{id}`: the session and every frame recorded in it (a viewer who
  /// withdraws consent), 204; 404 when there is no such session.
  func delete(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    let id = try context.recordID()
    guard try await sessions().deleteSession(id: id) != nil else {
      throw Problem(.notFound, kind: "not-found", detail: "no session with id \(id)")
    }
    return Response(status: .noContent)
  }

  func reaction(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let query = QueryParameters(request)
    guard let stimulus = try query.string("stimulus", maxLength: 100) else {
      throw Problem.badParameter("stimulus", "required")
    }
    let format = try query.oneOf("format", ["json", "csv"], default: "json")
    let sums = try await sessions().reactionSums(stimulus: stimulus)
    let curve = ReactionCurve.compute(sums)
    if format == "csv" {
      return CSVDocument(text: CSV.reaction(curve), filename: "reaction.csv")
    }
    return Wire.Reaction(
      stimulus: stimulus, sessions: Set(sums.map(\.sessionID)).count, seconds: curve)
  }
}
