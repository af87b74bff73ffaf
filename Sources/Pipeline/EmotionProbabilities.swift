import Datasets

/// Seven probabilities, one per `Emotion`, that sum to 1. Encodes as a JSON object keyed by the
/// class names (`{"angry": p, "disgust": p, …, "surprise": p}`).
public struct EmotionProbabilities: Sendable, Equatable, Codable {
  /// The probabilities in `Emotion.allCases` order.
  public let values: [Float]

  /// Probabilities from one classifier row; nil unless it holds 7 finite values ≥ 0 whose sum
  /// is within `tolerance` of 1. The values are rescaled to sum to 1 as closely as `Float`
  /// allows.
  public init?(validating row: [Float], tolerance: Float = 1e-3) {
    guard row.count == Emotion.allCases.count,
      row.allSatisfy({ $0.isFinite && $0 >= 0 })
    else { return nil }
    let sum = row.reduce(0.0) { $0 + Double($1) }
    guard abs(sum - 1) <= Double(tolerance) else { return nil }
    values = row.map { Float(Double($0) / sum) }
  }

  /// The probability of `emotion`.
  public subscript(_ emotion: Emotion) -> Float { values[emotion.index] }

  /// The most probable emotion (the first of equal maxima in class order).
  public var dominant: Emotion {
    var best = 0
    for k in values.indices where values[k] > values[best] { best = k }
    return Emotion.allCases[best]
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    var row: [Float] = []
    for emotion in Emotion.allCases {
      row.append(try container.decode(Float.self, forKey: Key(emotion)))
    }
    guard let valid = EmotionProbabilities(validating: row) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "emotion probabilities must be 7 values >= 0 summing to 1, got \(row)")
      )
    }
    self = valid
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    for emotion in Emotion.allCases {
      try container.encode(values[emotion.index], forKey: Key(emotion))
    }
  }

  private struct Key: CodingKey {
    let stringValue: String
    init(_ emotion: Emotion) { stringValue = emotion.rawValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
  }
}
