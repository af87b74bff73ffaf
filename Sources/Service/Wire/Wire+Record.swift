import Datasets
import Foundation
import Hummingbird

extension Wire {
  /// One stored record, as `GET /api/v1/analyses` lists it.
  struct Record: Encodable {
    var record: AnalysisRecord

    enum CodingKeys: String, CodingKey {
      case id, tag, model, width, height, faces
      case createdAt = "created_at"
      case elapsedMs = "elapsed_ms"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(record.id, forKey: .id)
      try c.encode(RFC3339.format(micros: record.createdAt), forKey: .createdAt)
      try c.encode(record.tag, forKey: .tag)
      try c.encode(record.model, forKey: .model)
      try c.encode(record.width, forKey: .width)
      try c.encode(record.height, forKey: .height)
      try c.encode(record.elapsedMs, forKey: .elapsedMs)
      try c.encode(record.faces, forKey: .faces)
    }
  }

  struct RecordPage: WireBody {
    var analyses: [Record]
    var nextBefore: Int64?

    enum CodingKeys: String, CodingKey {
      case analyses
      case nextBefore = "next_before"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(analyses, forKey: .analyses)
      try c.encode(nextBefore, forKey: .nextBefore)
    }
  }
}
