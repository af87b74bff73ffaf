import Hummingbird

extension EmoclService {
  /// Every route, registered on `router` by one controller per resource (the `/api/` ones
  /// behind `apiGuard`). Returns what was registered, for `routes()` and the tests that check
  /// each route's guard.
  @discardableResult
  func addRoutes(to router: Router<EmoclRequestContext>, guard apiGuard: APIGuardMiddleware)
    -> [RouteDescription]
  {
    var routes = RouteRegistrar(router: router, guard: apiGuard)
    PageController(files: publicFiles).addRoutes(to: &routes)
    HealthController(
      analyzer: analyzer, store: store, metrics: metrics,
      modelsDirectory: configuration.modelsDirectory
    ).addRoutes(to: &routes)
    AnalyzeController(
      configuration: configuration, analyzer: analyzer, store: store, sessions: sessionStore,
      metrics: metrics, now: now
    ).addRoutes(to: &routes)
    ModelsController(analyzer: analyzer).addRoutes(to: &routes)
    AnalysesController(store: store).addRoutes(to: &routes)
    StatsController(store: store).addRoutes(to: &routes)
    VideosController(configuration: configuration, store: videoStore, now: now)
      .addRoutes(to: &routes)
    SessionsController(store: sessionStore, now: now, bodyTimeout: configuration.bodyTimeout)
      .addRoutes(to: &routes)
    return routes.routes
  }

  /// Every route the service answers, with its methods and whether it needs an API key: the
  /// same registration `makeApplication()` performs, on a throwaway router.
  public func routes() -> [RouteDescription] {
    let router = Router(context: EmoclRequestContext.self)
    return addRoutes(to: router, guard: APIGuardMiddleware(keys: keys, limiter: nil))
  }
}
