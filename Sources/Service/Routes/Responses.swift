import Datasets
import Foundation
import Hummingbird

/// The JSON bodies of the API (see `Public/openapi.json`): snake_case keys, RFC 3339 times, and
/// `null` written out where the document says a key is nullable.
enum Wire {
  static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func text(_ text: String, contentType: String, headers: HTTPFields = [:]) -> Response {
    var headers = headers
    headers[.contentType] = contentType
    return Response(
      status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  /// The answer to one analysed image.
  struct Analysis: Encodable {
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

  /// One stored record.
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

  struct RecordPage: Encodable {
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

  struct Stats: Encodable {
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

  struct Models: Encodable {
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

  /// One image of a batch: its analysis, or the problem it had.
  enum BatchItem: Encodable {
    case analysis(Analysis)
    case failure(image: String?, problem: [String: Any])

    func encode(to encoder: any Encoder) throws {
      switch self {
      case .analysis(let analysis):
        try analysis.encode(to: encoder)
      case .failure(let image, let problem):
        var c = encoder.container(keyedBy: FailureKeys.self)
        try c.encode(image, forKey: .image)
        try c.encode(ProblemBody(problem), forKey: .error)
      }
    }

    enum FailureKeys: String, CodingKey { case image, error }
  }

  /// A problem's members (strings and integers only) as an Encodable.
  struct ProblemBody: Encodable {
    var members: [String: Any]
    init(_ members: [String: Any]) { self.members = members }

    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Key.self)
      for (key, value) in members {
        if let n = value as? Int {
          try c.encode(n, forKey: Key(stringValue: key))
        } else {
          try c.encode("\(value)", forKey: Key(stringValue: key))
        }
      }
    }
  }

  struct Batch: Encodable {
    var model: String
    var elapsedMs: Double
    var results: [BatchItem]

    enum CodingKeys: String, CodingKey {
      case model, results
      case elapsedMs = "elapsed_ms"
    }
  }
}

/// CSV (RFC 4180) of stored records: one row per face, and one row with empty face columns for
/// a record without faces.
enum CSV {
  static let header =
    ([
      "id", "created_at", "tag", "model", "width", "height", "elapsed_ms", "face", "x", "y",
      "box_width", "box_height",
    ] + Emotion.allCases.map(\.rawValue) + ["dominant"])
    .joined(separator: ",")

  static func field(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return value
    }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func records(_ records: [AnalysisRecord]) -> String {
    var lines = [header]
    for r in records {
      let common = [
        String(r.id), RFC3339.format(micros: r.createdAt), field(r.tag ?? ""), field(r.model),
        String(r.width), String(r.height), String(r.elapsedMs),
      ]
      if r.faces.isEmpty {
        lines.append((common + [String](repeating: "", count: 5 + 7 + 1)).joined(separator: ","))
      }
      for (i, face) in r.faces.enumerated() {
        let b = face.box
        let row =
          common + [String(i), String(b.x), String(b.y), String(b.width), String(b.height)]
          + face.emotions.probabilities.map { String($0) } + [face.dominant.rawValue]
        lines.append(row.joined(separator: ","))
      }
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  static func stats(_ buckets: [StatsBucket]) -> String {
    let names = Emotion.allCases.map(\.rawValue)
    var lines = [
      (["start", "faces"] + names.map { "mean_\($0)" } + names.map { "dominant_\($0)" })
        .joined(separator: ",")
    ]
    for b in buckets {
      let row =
        [RFC3339.format(micros: b.start), String(b.faces)]
        + b.meanProbabilities.map { String($0) } + b.dominantCounts.map { String($0) }
      lines.append(row.joined(separator: ","))
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }
}
