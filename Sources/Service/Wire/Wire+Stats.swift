import Datasets
import Foundation
import Hummingbird

extension Wire {
  /// Faces and mean emotions in one hour or day.
  struct Bucket: Encodable {
    var start: String
    var faces: Int
    var unreliable: Int
    var mean: [String: Double]
    var dominant: [String: Int]

    init(_ b: StatsBucket) {
      start = RFC3339.format(micros: b.start)
      faces = b.faces
      unreliable = b.unreliable
      mean = Dictionary(
        uniqueKeysWithValues: zip(Emotion.allCases.map(\.rawValue), b.meanProbabilities))
      dominant = Dictionary(
        uniqueKeysWithValues: zip(Emotion.allCases.map(\.rawValue), b.dominantCounts))
    }
  }

  /// The quality limits statistics were computed with.
  struct QualityLimits: Encodable {
    var reliableOnly: Bool
    var minFace: Double
    var minSharpness: Double
    var maxYaw: Double
    var maxPitch: Double

    enum CodingKeys: String, CodingKey {
      case reliableOnly = "reliable_only"
      case minFace = "min_face"
      case minSharpness = "min_sharpness"
      case maxYaw = "max_yaw"
      case maxPitch = "max_pitch"
    }

    init(_ q: StatsQuality) {
      reliableOnly = q.reliableOnly
      minFace = q.limits.minSize
      minSharpness = q.limits.minSharpness
      maxYaw = q.limits.maxYaw
      maxPitch = q.limits.maxPitch
    }
  }

  struct Stats: WireBody {
    var bucket: String
    var tag: String?
    var from: Int64?
    var to: Int64?
    var quality: QualityLimits
    var buckets: [Bucket]

    enum CodingKeys: String, CodingKey { case bucket, tag, from, to, quality, buckets }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(bucket, forKey: .bucket)
      try c.encode(tag, forKey: .tag)
      try c.encode(from.map(RFC3339.format(micros:)), forKey: .from)
      try c.encode(to.map(RFC3339.format(micros:)), forKey: .to)
      try c.encode(quality, forKey: .quality)
      try c.encode(buckets, forKey: .buckets)
    }
  }
}
