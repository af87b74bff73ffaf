import Datasets

extension Wire {
  /// An audience session.
  struct Session: WireBody {
    var session: AudienceSession

    enum CodingKeys: String, CodingKey {
      case id, stimulus, frames
      case startedAt = "started_at"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(session.id, forKey: .id)
      try c.encode(session.stimulus, forKey: .stimulus)
      try c.encode(RFC3339.format(micros: session.startedAt), forKey: .startedAt)
      try c.encode(session.frames, forKey: .frames)
    }
  }

  struct SessionList: WireBody {
    var sessions: [Session]
  }

  /// `GET /api/v1/reactions?stimulus=…`.
  struct Reaction: WireBody {
    var stimulus: String
    var sessions: Int
    var seconds: [ReactionCurve.Second]

    struct Second: Encodable {
      var second: Int
      var viewers: Int
      var mean: [String: Double]
      var low: [String: Double]?
      var high: [String: Double]?

      enum CodingKeys: String, CodingKey { case second, viewers, mean, low, high }

      /// `low` and `high` are written as null with one viewer.
      func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(second, forKey: .second)
        try c.encode(viewers, forKey: .viewers)
        try c.encode(mean, forKey: .mean)
        try c.encode(low, forKey: .low)
        try c.encode(high, forKey: .high)
      }
    }

    /// Values by emotion name, to the millionth: probabilities are stored to millionths, so
    /// more digits (`0.014060999999999999`) say nothing.
    static func named(_ values: [Double]) -> [String: Double] {
      Dictionary(
        uniqueKeysWithValues: zip(Emotion.allCases.map(\.rawValue), values.map(Self.millionths)))
    }

    /// `value` rounded to the millionth.
    static func millionths(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }

    enum CodingKeys: String, CodingKey { case stimulus, sessions, seconds }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(stimulus, forKey: .stimulus)
      try c.encode(sessions, forKey: .sessions)
      try c.encode(
        seconds.map {
          Second(
            second: $0.second, viewers: $0.viewers, mean: Self.named($0.mean),
            low: $0.low.map(Self.named), high: $0.high.map(Self.named))
        }, forKey: .seconds)
    }
  }
}
