import Datasets
import Foundation
import Hummingbird

extension Wire {
  /// The loaded models and the default one.
  struct Models: WireBody {
    var models: [ModelInfo]
    var defaultModel: String?

    enum CodingKeys: String, CodingKey {
      case models
      case defaultModel = "default"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(models, forKey: .models)
      try c.encode(defaultModel, forKey: .defaultModel)
    }
  }
}
