import Foundation

/// Small helpers for writing the report's HTML by hand (no template engine, nothing external).
enum HTML {
  /// Text escaped for HTML character data and double-quoted attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }

  /// An SVG document made fit to sit inside HTML: the XML declaration dropped (HTML's parser
  /// does not take one mid-document).
  static func inlineSVG(_ document: String) -> String {
    guard document.hasPrefix("<?xml"), let end = document.range(of: "?>") else { return document }
    return String(document[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A PNG as a `data:` URI.
  static func dataURI(png: [UInt8]) -> String {
    "data:image/png;base64," + Data(png).base64EncodedString()
  }

  /// A file-name-safe version of `name`: letters, digits, `.`, `_` and `-` kept, others `-`.
  static func fileStem(_ name: String) -> String {
    let safe = String(
      name.map { c -> Character in
        c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-") ? c : "-"
      })
    return safe.isEmpty || safe.hasPrefix(".") ? "model" + safe : safe
  }

  /// `seconds` as "12.3 s", "4 min 05 s" or "2 h 03 min".
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "–" }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let whole = Int(seconds.rounded())
    if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
    return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
  }

  /// A byte count as "812 KB" or "3.4 MB".
  static func size(_ bytes: Int) -> String {
    if bytes < 1_000_000 { return "\(max(1, (bytes + 500) / 1000)) KB" }
    return String(format: "%.1f MB", Double(bytes) / 1_000_000)
  }

  /// The page's style sheet.
  static let css = """
    body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1a1a1a;
      max-width: 1240px; margin: 0 auto; padding: 16px 28px 48px; line-height: 1.45; }
    h1 { font-size: 28px; margin-bottom: 4px; }
    h2 { font-size: 22px; border-bottom: 2px solid #d8dee6; padding-bottom: 4px; margin-top: 36px; }
    h3 { font-size: 18px; margin-top: 28px; }
    nav a { margin-right: 14px; }
    table { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
    th, td { border: 1px solid #cfd6de; padding: 4px 9px; text-align: right; }
    th:first-child, td:first-child { text-align: left; }
    thead th { background: #eef2f7; }
    thead th.group { text-align: center; }
    td.best { font-weight: bold; }
    td:not(.text) { white-space: nowrap; }
    td.text, th.text { text-align: left; }
    .figures { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
    figure { margin: 8px 0; display: table; }
    figure svg { max-width: 100%; height: auto; display: block; }
    figcaption { display: table-caption; caption-side: bottom; font-size: 13px; color: #444;
      padding-top: 4px; }
    img.pixels { image-rendering: pixelated; }
    pre { background: #f6f7f9; border: 1px solid #e1e5ea; padding: 8px 10px; font-size: 12px;
      overflow-x: auto; }
    .note { color: #4a4a4a; font-size: 14px; }
    .problem { color: #a40000; }
    dl.card { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px;
      font-size: 14px; }
    dl.card dt { font-weight: bold; }
    dl.card dd { margin: 0; overflow-wrap: anywhere; }
    section.limitations p { max-width: 900px; }
    """
}
