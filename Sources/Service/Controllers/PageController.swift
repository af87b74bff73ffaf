import Hummingbird

/// The page (`/`, `/videos`, `/dashboard`, `/models`), its static files and `/openapi.json`: only files
/// loaded from Public/ at start are served, so no request path reaches another file.
struct PageController: Sendable {
  let files: PublicFiles

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/", [.get: page("index.html")])
    routes.add("/dashboard", [.get: page("dashboard.html")])
    routes.add("/videos", [.get: page("videos.html")])
    routes.add("/models", [.get: page("models.html")])
    routes.add("/static/:file", [.get: staticFile])
    routes.add("/openapi.json", [.get: page("openapi.json")])
  }

  private func page(_ name: String) -> RouteRegistrar.Handler {
    let files = self.files
    return { _, _ in
      guard let file = files.files[name] else {
        throw Problem(.notFound, kind: "not-found", detail: "\(name) is not installed")
      }
      return file.response()
    }
  }

  private func staticFile(_ request: Request, _ context: EmoclRequestContext) throws -> Response {
    guard let name = context.parameters.get("file"), PublicFiles.isPlainName(name),
      let file = files.files[name]
    else {
      throw Problem(.notFound, kind: "not-found", detail: "no such file")
    }
    return file.response()
  }
}
