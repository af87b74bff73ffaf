import Foundation

/// Builds a standalone SVG document (no scripts, fonts or other external assets).
struct SVGWriter {
  private(set) var body = ""
  let width: Double
  let height: Double

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  /// The finished document with a white background.
  var document: String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.number(width))" \
    height="\(Self.number(height))" viewBox="0 0 \(Self.number(width)) \(Self.number(height))" \
    font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
    <rect class="background" x="0" y="0" width="\(Self.number(width))" \
    height="\(Self.number(height))" fill="#ffffff"/>

    """ + body + "</svg>\n"
  }

  /// Text escaped for XML character data and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      // XML 1.0 forbids most control characters even as references; drop them.
      case "\u{00}"..."\u{08}", "\u{0B}", "\u{0C}", "\u{0E}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}":
        continue
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// A coordinate with at most two decimals and no trailing zeros.
  static func number(_ x: Double) -> String {
    let rounded = (x * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    var s = String(format: "%.2f", rounded)
    while s.hasSuffix("0") { s.removeLast() }
    return s
  }

  mutating func rect(
    _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, cssClass: String,
    stroke: String? = nil, title: String? = nil
  ) {
    body += "<rect class=\"\(cssClass)\" x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" "
    body +=
      "width=\"\(Self.number(max(0, w)))\" height=\"\(Self.number(max(0, h)))\" fill=\"\(fill)\""
    if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"1\"" }
    if let title {
      body += "><title>\(Self.escape(title))</title></rect>\n"
    } else {
      body += "/>\n"
    }
  }

  mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#333333",
    width: Double = 1, cssClass: String
  ) {
    body +=
      "<line class=\"\(cssClass)\" x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" "
      + "x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" "
      + "stroke-width=\"\(Self.number(width))\"/>\n"
  }

  mutating func polyline(_ points: [(Double, Double)], stroke: String, cssClass: String) {
    let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
    body +=
      "<polyline class=\"\(cssClass)\" points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" "
      + "stroke-width=\"2\" stroke-linejoin=\"round\"/>\n"
  }

  mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, cssClass: String) {
    body +=
      "<circle class=\"\(cssClass)\" cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" "
      + "r=\"\(Self.number(r))\" fill=\"\(fill)\"/>\n"
  }

  enum Anchor: String {
    case start, middle, end
  }

  mutating func text(
    _ s: String, _ x: Double, _ y: Double, anchor: Anchor = .start, size: Double = 12,
    fill: String = "#222222", bold: Bool = false, rotate: Double? = nil, cssClass: String
  ) {
    body +=
      "<text class=\"\(cssClass)\" x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" "
      + "text-anchor=\"\(anchor.rawValue)\" font-size=\"\(Self.number(size))\" fill=\"\(fill)\""
    if bold { body += " font-weight=\"bold\"" }
    if let rotate {
      body += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\""
    }
    body += ">\(Self.escape(s))</text>\n"
  }
}
