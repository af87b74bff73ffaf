import Hummingbird

/// Registers routes on the router and remembers each one.
///
/// Every path under `/api/` is added to one router group that carries the API guard (keys and
/// rate limit). Hummingbird builds a group's middleware into each endpoint's responder, so the
/// guard runs for whatever request *resolves* to an `/api` route — `//api/v1/x`, `/api//v1/x`,
/// `/api/v1/x/`, absolute-form targets, `HEAD` and `OPTIONS` alike — instead of comparing the raw
/// path's spelling, which the router normalises differently (it drops empty segments).
struct RouteRegistrar {
  /// A route's handler: any response generator — a typed `Wire` body (encoded as JSON), a
  /// `CSVDocument`, or a `Response` built by hand.
  typealias Handler =
    @Sendable (Request, EmoclRequestContext) async throws -> any ResponseGenerator

  private let router: Router<EmoclRequestContext>
  private let api: RouterGroup<EmoclRequestContext>
  private(set) var routes: [RouteDescription] = []

  /// The prefix of guarded routes.
  static let apiPrefix = "/api/"

  init(router: Router<EmoclRequestContext>, guard apiGuard: APIGuardMiddleware) {
    self.router = router
    api = router.group("/api").add(middleware: apiGuard)
  }

  /// Adds `handlers` at `path`. Every other method of HTTP's standard set (RFC 9110, and PATCH)
  /// answers 405 with an `Allow` header, behind the key check on `/api`, and `OPTIONS`
  /// answers 204 with the same header. (Other methods, such as WebDAV's, are 404: the router
  /// matches methods by name.)
  mutating func add(_ path: String, _ handlers: [HTTPRequest.Method: Handler]) {
    precondition(path.hasPrefix("/"), "route paths are absolute")
    let guarded = path.hasPrefix(Self.apiPrefix)
    var allowed = handlers.keys.map(\.rawValue)
    if handlers[.get] != nil { allowed.append("HEAD") }
    allowed.append("OPTIONS")
    allowed.sort()
    let allow = allowed.joined(separator: ", ")

    var all = handlers
    all[.options] = { _, _ in
      var response = Response(status: .noContent)
      response.headers[.allow] = allow
      return response
    }
    var refused: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .trace, .connect]
    // Without GET there is no HEAD either (the router makes HEAD from GET).
    if handlers[.get] == nil { refused.append(.head) }
    for method in refused where all[method] == nil {
      all[method] = { request, _ in
        throw Problem(
          .methodNotAllowed, kind: "method-not-allowed",
          detail: "\(request.method) is not allowed here; use \(allow)", headers: [.allow: allow])
      }
    }
    for (method, handler) in all {
      if guarded {
        let relative = String(path.dropFirst(Self.apiPrefix.count))
        api.on(RouterPath(relative), method: method) { request, context in
          try await handler(request, context).response(from: request, context: context)
        }
      } else {
        router.on(RouterPath(path), method: method) { request, context in
          try await handler(request, context).response(from: request, context: context)
        }
      }
    }
    routes.append(RouteDescription(path: path, methods: allowed, requiresKey: guarded))
  }
}
