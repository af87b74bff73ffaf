import Datasets
import Foundation
import Hummingbird

extension Wire {
  /// Faces and mean emotions in one hour or day.
  struct Bucket: Encodable {
    var start: String
    var faces: Int
    var mean: [String: Double]
    var dominant: [String: Int]

    init(_ b: StatsBucket) {
      start = RFC3339.format(micros: b.start)
      faces = b.faces
      mean = Dictionary(
        uniqueKeysWithValues: zip(Emotion.allCases.map(\.rawValue), b.meanProbabilities))
      dominant = Dictionary(
        uniqueKeysWithValues: zip(Emotion.allCases.map(\.rawValue), b.dominantCounts))
    }
  }

  struct Stats: WireBody {
    var bucket: String
    var tag: String?
    var from: Int64?
    var to: Int64?
    var buckets: [Bucket]

    enum CodingKeys: String, CodingKey { case bucket, tag, from, to, buckets }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(bucket, forKey: .bucket)
      try c.encode(tag, forKey: .tag)
      try c.encode(from.map(RFC3339.format(micros:)), forKey: .from)
      try c.encode(to.map(RFC3339.format(micros:)), forKey: .to)
      try c.encode(buckets, forKey: .buckets)
    }
  }
}
