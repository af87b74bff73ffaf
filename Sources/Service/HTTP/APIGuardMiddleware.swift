import Hummingbird

/// Guards the `/api/...` routes: API keys (when any exists) and the rate limit (when set).
///
/// It is attached to the router group that holds every `/api/` route (see `RouteRegistrar`), so
/// it runs for each request that resolves to one of them, whatever the spelling of the path.
/// Other routes — the page, static files, `/healthz`, `/readyz`, `/metrics`, `/openapi.json` —
/// stay open.
struct APIGuardMiddleware: RouterMiddleware {
  typealias Context = EmoclRequestContext
  let keys: KeyCheck
  let limiter: RateLimiter?

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let decision = await keys.check(authorization: request.headers[.authorization])
    if let limiter {
      // A valid key is its own client; otherwise (no keys, or a bad one) the address is.
      var client = "address:" + (context.remoteAddress ?? "unknown")
      if case .allowed(let hash?) = decision { client = "key:" + hash }
      if let retryAfter = limiter.take(client: client) {
        throw Problem(
          .tooManyRequests, kind: "rate-limited",
          detail: "over the rate limit; retry in \(retryAfter) s",
          headers: [.retryAfter: String(retryAfter)])
      }
    }
    switch decision {
    case .allowed:
      return try await next(request, context)
    case .unauthorized(let why):
      throw Problem(
        .unauthorized, kind: "unauthorized", detail: why,
        headers: [.wwwAuthenticate: "Bearer realm=\"emocl\""])
    case .unavailable(let why):
      throw Problem(
        .serviceUnavailable, kind: "database-unavailable", detail: why,
        headers: [.retryAfter: "5"])
    }
  }
}
