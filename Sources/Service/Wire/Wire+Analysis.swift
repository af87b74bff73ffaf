import Datasets
import Foundation
import Hummingbird

extension Wire {
  /// The answer to one analysed image.
  struct Analysis: WireBody {
    var image: String?
    var result: AnalysisResult
    var model: String
    var elapsedMs: Double
    var id: Int64?
    var tag: String?
    var createdAt: Int64?

    enum CodingKeys: String, CodingKey {
      case image, width, height, faces, model, id, tag
      case elapsedMs = "elapsed_ms"
      case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(image, forKey: .image)
      try c.encode(result.width, forKey: .width)
      try c.encode(result.height, forKey: .height)
      try c.encode(result.faces, forKey: .faces)
      try c.encode(model, forKey: .model)
      try c.encode(elapsedMs, forKey: .elapsedMs)
      try c.encode(id, forKey: .id)
      try c.encode(tag, forKey: .tag)
      try c.encode(createdAt.map(RFC3339.format(micros:)), forKey: .createdAt)
    }
  }
}
