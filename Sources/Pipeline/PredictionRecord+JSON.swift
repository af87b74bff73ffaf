import Datasets

extension PredictionRecord {
  /// The records as a JSON array, one record per element, keys in the documented order
  /// (`image`, `width`, `height`, `faces`; `box`, `emotions`, `dominant`; emotions in class
  /// order), one face per line. `JSONEncoder` orders keys by hash (differently in every process)
  /// or alphabetically, hence this writer; the output decodes with `JSONDecoder`.
  public static func jsonArray(_ records: [PredictionRecord]) -> String {
    guard !records.isEmpty else { return "[]" }
    return "[\n" + records.map { $0.jsonObject(indent: "  ") }.joined(separator: ",\n") + "\n]"
  }

  /// This record as a JSON object, its lines indented by `indent`.
  public func jsonObject(indent: String = "") -> String {
    let inner = indent + "  "
    var fields = ["\(inner)\"image\": \(Self.quoted(image))"]
    switch outcome {
    case .failure(let failure):
      fields.append(
        "\(inner)\"error\": {\"type\": \(Self.quoted(failure.type)), "
          + "\"message\": \(Self.quoted(failure.message))}")
    case .analysis(let analysis):
      fields.append("\(inner)\"width\": \(analysis.width)")
      fields.append("\(inner)\"height\": \(analysis.height)")
      if analysis.faces.isEmpty {
        fields.append("\(inner)\"faces\": []")
      } else {
        let faces = analysis.faces.map { "\(inner)  \(Self.json($0))" }
        fields.append("\(inner)\"faces\": [\n" + faces.joined(separator: ",\n") + "\n\(inner)]")
      }
    }
    return "\(indent){\n" + fields.joined(separator: ",\n") + "\n\(indent)}"
  }

  static func json(_ face: FaceEmotions) -> String {
    let b = face.box
    let box = "{\"x\": \(b.x), \"y\": \(b.y), \"width\": \(b.width), \"height\": \(b.height)}"
    let emotions = Emotion.allCases.map { "\"\($0.rawValue)\": \(face.emotions[$0])" }
    var json =
      "{\"box\": \(box), \"emotions\": {\(emotions.joined(separator: ", "))}, "
      + "\"dominant\": \"\(face.dominant.rawValue)\""
    if let d = face.detection {
      let points = d.landmarks.map { "[\(number($0.x)), \(number($0.y))]" }
      let q = d.quality
      json +=
        ", \"detection\": {\"score\": \(number(d.score)), \"landmarks\": ["
        + points.joined(separator: ", ") + "], \"quality\": {\"size\": \(number(q.size)), "
        + "\"sharpness\": \(number(q.sharpness)), \"roll\": \(number(q.roll)), "
        + "\"yaw\": \(number(q.yaw)), \"pitch\": \(number(q.pitch)), "
        + "\"reliable\": \(q.reliable)}}"
    }
    return json + "}"
  }

  /// A finite number rounded to 3 decimals for JSON (non-finite values, which JSON cannot
  /// hold, as 0).
  static func number(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    return "\((v * 1000).rounded() / 1000)"
  }

  /// `text` as a JSON string literal.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
