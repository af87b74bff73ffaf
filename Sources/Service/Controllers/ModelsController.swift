import Hummingbird

/// `GET /api/v1/models`: the loaded models with their cards and which one is the default.
struct ModelsController: Sendable {
  let analyzer: any EmotionAnalyzer

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/api/v1/models", [.get: { _, _ in list() }])
  }

  func list() -> Wire.Models {
    Wire.Models(models: analyzer.models, defaultModel: analyzer.defaultModel)
  }
}
