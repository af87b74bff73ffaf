extension LayerTable {
  /// The table as HTML: a heading naming `name` (the card's member) unless it is `network`,
  /// then index, layer, settings, output and parameters per row, the input first and the
  /// total last. Layers inside a residual block are indented.
  func html(name: String) -> String {
    var s = name == "network" ? "<h4>Layers</h4>\n" : "<h4>Layers of \(HTML.escape(name))</h4>\n"
    s += "<table class=\"layers\">\n<thead>\n<tr><th>#</th><th class=\"text\">layer</th>"
    s += "<th class=\"text\">settings</th><th>output</th><th>parameters</th></tr>\n</thead>\n"
    s += "<tbody>\n"
    s += Self.row("", "input", "", input, "")
    for row in rows {
      s += Self.row(
        row.index, row.kind, row.settings, row.output, Self.grouped(row.parameters),
        depth: row.depth)
    }
    s += "</tbody>\n<tfoot>\n"
    s += Self.row("", "total", "", "", Self.grouped(totalParameters))
    s += "</tfoot>\n</table>\n"
    s += "<p class=\"note\">Output: the shape for one image, C×H×W for planes and N for "
    s += "features. Parameters: the trainable values; a batch norm's running mean and variance "
    s += "are not counted.</p>\n"
    return s
  }

  /// One `<tr>`; `depth` indents the layer's kind.
  private static func row(
    _ index: String, _ kind: String, _ settings: String, _ output: String, _ parameters: String,
    depth: Int = 0
  ) -> String {
    let indent = depth > 0 ? " style=\"padding-left: \(9 + 18 * depth)px\"" : ""
    return "<tr><td>\(HTML.escape(index))</td><td class=\"text\"\(indent)>\(HTML.escape(kind))</td>"
      + "<td class=\"text\">\(HTML.escape(settings))</td><td>\(HTML.escape(output))</td>"
      + "<td>\(parameters)</td></tr>\n"
  }

  /// `n` with commas between groups of three digits: `1,234,567`.
  static func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out += "," }
      out.append(c)
    }
    return n < 0 ? "-" + out : out
  }
}
