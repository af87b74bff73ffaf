import Datasets
import Pipeline

/// CSV (RFC 4180) of stored records: one row per face, and one row with empty face columns for
/// a record without faces.
enum CSV {
  static let header =
    ([
      "id", "created_at", "tag", "model", "width", "height", "elapsed_ms", "face", "x", "y",
      "box_width", "box_height",
    ] + Emotion.allCases.map(\.rawValue) + ["dominant"] + qualityHeader)
    .joined(separator: ",")

  /// What the CNN detector said of a face; empty cells for faces without a CNN detection.
  static let qualityHeader = [
    "detection_score", "face_size", "sharpness", "roll", "yaw", "pitch", "reliable",
  ]

  /// The ``qualityHeader`` cells of one face.
  static func qualityCells(_ details: FaceDetails?) -> [String] {
    guard let details else { return qualityHeader.map { _ in "" } }
    let q = details.quality
    return [details.score, q.size, q.sharpness, q.roll, q.yaw, q.pitch].map { String($0) }
      + [q.reliable ? "true" : "false"]
  }

  /// A text cell (see `CSVCell.text`: quoted as needed, formulas neutralised).
  static func field(_ value: String) -> String { CSVCell.text(value) }

  static func records(_ records: [AnalysisRecord]) -> String {
    var lines = [header]
    for r in records {
      let common = [
        String(r.id), RFC3339.format(micros: r.createdAt), field(r.tag ?? ""), field(r.model),
        String(r.width), String(r.height), String(r.elapsedMs),
      ]
      if r.faces.isEmpty {
        lines.append(
          (common + [String](repeating: "", count: 5 + 7 + 1 + qualityHeader.count))
            .joined(separator: ","))
      }
      for (i, face) in r.faces.enumerated() {
        let b = face.box
        let row =
          common + [String(i), String(b.x), String(b.y), String(b.width), String(b.height)]
          + face.emotions.probabilities.map { String($0) } + [face.dominant.rawValue]
          + qualityCells(face.detection)
        lines.append(row.joined(separator: ","))
      }
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  static func stats(_ buckets: [StatsBucket]) -> String {
    let names = Emotion.allCases.map(\.rawValue)
    var lines = [
      (["start", "faces", "unreliable"] + names.map { "mean_\($0)" }
        + names.map { "dominant_\($0)" }).joined(separator: ",")
    ]
    for b in buckets {
      let row =
        [RFC3339.format(micros: b.start), String(b.faces), String(b.unreliable)]
        + b.meanProbabilities.map { String($0) } + b.dominantCounts.map { String($0) }
      lines.append(row.joined(separator: ","))
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  /// A video's timeline: one row per second for all faces (`track` = `all`), then one per track
  /// seen in that second. Seconds with frames but no faces have empty means.
  static func timeline(_ rows: [VideoTimelineSecond]) -> String {
    let names = Emotion.allCases.map(\.rawValue)
    var lines = [
      (["second", "track", "frames", "faces"] + names.map { "mean_\($0)" })
        .joined(separator: ",")
    ]
    for row in rows {
      let means =
        row.meanProbabilities?.map { String($0) } ?? [String](repeating: "", count: names.count)
      let track = row.track.map(String.init) ?? "all"
      lines.append(
        ([String(row.second), track, String(row.frames), String(row.faces)] + means)
          .joined(separator: ","))
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  /// A reaction curve: one row per second with the viewers and, per emotion, the mean and its
  /// 95% interval (empty with one viewer).
  static func reaction(_ seconds: [ReactionCurve.Second]) -> String {
    let names = Emotion.allCases.map(\.rawValue)
    let header =
      ["second", "viewers"] + names.map { "mean_\($0)" } + names.map { "low_\($0)" }
      + names.map { "high_\($0)" }
    var lines = [header.joined(separator: ",")]
    let blank = [String](repeating: "", count: names.count)
    // To the millionth, as stored (see Wire.Reaction.named).
    let text = { (v: Double) in String(Wire.Reaction.millionths(v)) }
    for s in seconds {
      let row =
        [String(s.second), String(s.viewers)] + s.mean.map(text)
        + (s.low?.map(text) ?? blank) + (s.high?.map(text) ?? blank)
      lines.append(row.joined(separator: ","))
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }
}
