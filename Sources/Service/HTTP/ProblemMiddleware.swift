import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
  import Glibc
#endif

/// The outermost middleware: turns every error into an RFC 9457 problem response, logs each
/// request, and records it in the metrics.
///
/// An answer given before the request's body was read (a refused key, a bad parameter, a
/// method or path that takes no body) closes the connection after it (`Connection: close`):
/// Hummingbird would otherwise read the rest of the announced body, for as long as the client
/// trickles it, before the connection could serve another request.
struct ProblemMiddleware: RouterMiddleware {
  typealias Context = EmoclRequestContext
  let metrics: ServiceMetrics

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    var response: Response
    var problemKind: String?
    do {
      response = try await next(request, context)
    } catch {
      let problem = Self.problem(for: error, request: request)
      if problem.status.code >= 500, problem.status != .serviceUnavailable {
        context.logger.error(
          "unexpected error", metadata: ["error": "\(String(reflecting: error))"])
      }
      problemKind = problem.kind
      response = problem.response(instance: request.uri.path)
    }
    if RequestBodyReader.announcesBody(request),
      response.status.code >= 400 || Self.takesNoBody(request.method)
    {
      response.headers[.connection] = "close"
    }
    let elapsed = ContinuousClock.now - start
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let route = context.endpointPath ?? "unmatched"
    metrics.recordRequest(
      method: request.method.rawValue, route: route == "NotFound" ? "unmatched" : route,
      status: response.status.code, seconds: seconds)
    if let problemKind { metrics.recordError(kind: problemKind) }
    context.logger.info(
      "request",
      metadata: [
        "method": "\(request.method)", "path": "\(request.uri.path)",
        "status": "\(response.status.code)",
        "ms": "\(Int((seconds * 1000).rounded()))",
        "problem": problemKind.map { Logger.MetadataValue.string($0) } ?? "-",
      ])
    return response
  }

  /// The `errno`s of a read or write that failed because the client went away.
  static let clientGone: Set<Int32> = [ECONNRESET, EPIPE, ECONNABORTED]

  /// Methods no route reads a body of.
  static func takesNoBody(_ method: HTTPRequest.Method) -> Bool {
    [.get, .head, .delete, .options].contains(method)
  }

  /// The problem for any error a route or Hummingbird throws.
  static func problem(for error: any Error, request: Request) -> Problem {
    switch error {
    case let problem as Problem:
      return problem
    case let error as AnalyzerError:
      return .analysis(error)
    case let error as StorageError:
      return .databaseDown(error.database, error)
    case let error as MultipartError:
      return Problem(.badRequest, kind: "bad-multipart", detail: error.description)
    case let error as HTTPParserError:
      // The body could not be read: the client closed the connection before sending all of it
      // (nothing can answer it; counted as nginx counts it, 499, not as a server error), or
      // sent bytes that are not HTTP.
      guard error == .invalidEOFState else {
        return Problem(.badRequest, kind: "bad-request", detail: "\(error)")
      }
      return .clientClosed
    case let error as IOError where Self.clientGone.contains(error.errnoCode):
      // A reset rather than a close (a killed client, a dropped NAT mapping): the same.
      return .clientClosed
    case let error as any HTTPResponseError:
      switch error.status {
      case .notFound:
        return Problem(
          .notFound, kind: "not-found", detail: "nothing at \(request.method) \(request.uri.path)")
      case .contentTooLarge:
        return Problem(.contentTooLarge, kind: "body-too-large", detail: "request body too large")
      default:
        return Problem(error.status, kind: "http-\(error.status.code)", detail: "\(error)")
      }
    default:
      return Problem(
        .internalServerError, kind: "internal", detail: "unexpected error; see the server log")
    }
  }
}
