import Datasets

extension PredictionRecord {
  /// A readable table for `emocl predict --format text`: a header line with the image's name
  /// and size, then one row per face with its box, dominant emotion and the seven
  /// probabilities, e.g.
  ///
  ///     photo.jpg  640x480  1 face
  ///       #  box (x, y, w, h)      dominant       angry disgust  fear happy neutral   sad surprise
  ///       1  120, 80, 150, 150     happy  0.82     0.01   0.00  0.02  0.82    0.10  0.03     0.02
  public var textTable: String {
    switch outcome {
    case .failure(let failure):
      return "\(image)  error (\(failure.type)): \(failure.message)\n"
    case .analysis(let analysis):
      let count = analysis.faces.count
      var header = "\(image)  \(analysis.width)x\(analysis.height)  \(count) face"
      if count != 1 { header += "s" }
      if analysis.mode == .wholeImage { header += " (whole image)" }
      var lines = [header]
      guard count > 0 else { return lines.joined(separator: "\n") + "\n" }
      let names = Emotion.allCases.map(\.rawValue)
      var columns = [
        Self.pad("#", 3, right: true), Self.pad("box (x, y, w, h)", 22),
        Self.pad("dominant", 15),
      ]
      columns += names.map { Self.pad($0, max($0.count, 5), right: true) }
      lines.append("  " + columns.joined(separator: " "))
      for (i, face) in analysis.faces.enumerated() {
        let b = face.box
        var row = [
          Self.pad("\(i + 1)", 3, right: true),
          Self.pad("\(b.x), \(b.y), \(b.width), \(b.height)", 22),
          Self.pad(
            "\(Self.pad(face.dominant.rawValue, 8)) \(Self.fixed(face.emotions[face.dominant]))", 15
          ),
        ]
        row += Emotion.allCases.map { emotion in
          Self.pad(Self.fixed(face.emotions[emotion]), max(emotion.rawValue.count, 5), right: true)
        }
        lines.append("  " + row.joined(separator: " "))
      }
      return lines.joined(separator: "\n") + "\n"
    }
  }

  /// `value` with two decimals.
  static func fixed(_ value: Float) -> String {
    let hundredths = Int((Double(value) * 100).rounded())
    let fraction = abs(hundredths % 100)
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }

  static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
  }
}
