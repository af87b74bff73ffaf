import Datasets
import Foundation
import Reporting
import Testing
import Vision

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses an SVG document and records every element with its `class` and text.
private final class SVGSummary: NSObject, XMLParserDelegate {
  struct Element {
    let name: String
    let cssClass: String?
    var text = ""
  }
  private(set) var elements: [Element] = []
  private var stack: [Int] = []
  private(set) var rootName: String?

  static func parse(_ svg: String) throws -> SVGSummary {
    let summary = SVGSummary()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = summary
    guard parser.parse() else {
      throw ParseFailure(reason: parser.parserError.map { "\($0)" } ?? "unknown")
    }
    return summary
  }

  struct ParseFailure: Error { let reason: String }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if rootName == nil { rootName = name }
    elements.append(Element(name: name, cssClass: attributes["class"]))
    stack.append(elements.count - 1)
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let i = stack.last { elements[i].text += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    stack.removeLast()
  }

  func count(_ name: String, _ cssClass: String) -> Int {
    elements.filter { $0.name == name && $0.cssClass == cssClass }.count
  }

  func texts(_ cssClass: String) -> [String] {
    elements.filter { $0.name == "text" && $0.cssClass == cssClass }.map(\.text)
  }
}

@Suite struct ChartTests {
  @Test func barChartHasOneBarPerCategoryAndSeries() throws {
    let chart = BarChart(
      title: "Class distribution <train & val>", categories: Emotion.names,
      series: [
        .init(name: "train", values: [3995, 436, 4097, 7215, 4965, 4830, 3171]),
        .init(name: "val", values: [958, 111, 1024, 1774, 1233, 1247, 831]),
      ], yLabel: "images")
    let svg = try chart.svg()
    let doc = try SVGSummary.parse(svg)
    #expect(doc.rootName == "svg")
    #expect(doc.count("rect", "bar") == 14)
    #expect(doc.texts("category-label") == Emotion.names)
    #expect(doc.texts("legend") == ["train", "val"])
    #expect(doc.texts("title") == ["Class distribution <train & val>"])
    #expect(svg.contains("&lt;train &amp; val&gt;"))
    #expect(!svg.contains("href") && !svg.contains("<script"))
    #expect(doc.texts("bar-value").contains("7215"))
  }

  @Test func barChartRejectsBadData() {
    #expect(throws: ChartError.self) {
      try BarChart(title: "t", categories: ["a", "b"], series: [.init(name: "s", values: [1])])
        .svg()
    }
    #expect(throws: ChartError.self) {
      try BarChart(title: "t", categories: ["a"], series: [.init(name: "s", values: [.nan])]).svg()
    }
    #expect(throws: ChartError.self) { try BarChart(title: "t", categories: [], series: []).svg() }
  }

  @Test func barChartHandlesNegativeValuesAndLongLabels() throws {
    let chart = BarChart(
      title: "deltas", categories: (0..<12).map { "a rather long category \($0)" },
      series: [.init(name: "Δ", values: (0..<12).map { Double($0) - 5.5 })])
    let doc = try SVGSummary.parse(try chart.svg())
    #expect(doc.count("rect", "bar") == 12)
    #expect(doc.texts("legend") == ["Δ"])
  }

  @Test func lineChartDrawsSeriesAxesAndTicks() throws {
    let chart = LineChart(
      title: "Learning curve", xLabel: "epoch", yLabel: "accuracy",
      series: [
        .init(name: "train", y: [0.31, 0.42, 0.5, 0.55, 0.6]),
        .init(name: "val", y: [0.3, 0.4, 0.45, .nan, 0.5]),
      ], yRange: 0...1)
    let doc = try SVGSummary.parse(try chart.svg())
    // "val" breaks at the NaN: a 3-point run and a lone point.
    #expect(doc.count("polyline", "series") == 2)
    #expect(doc.count("circle", "point") == 1)
    #expect(doc.texts("legend") == ["train", "val"])
    let labels = doc.texts("tick-label")
    #expect(labels.contains("0.0") && labels.contains("1.0"))
    #expect(labels.contains("1") && labels.contains("5"))
    #expect(doc.texts("axis-label") == ["epoch", "accuracy"])
    #expect(doc.count("line", "axis") == 2)
  }

  @Test func lineChartFitsDataWithoutRange() throws {
    let variance = (1...50).map { 1 - exp(-Double($0) / 10) }
    let chart = LineChart(
      title: "Cumulative explained variance", xLabel: "components",
      series: [.init(name: "PCA", x: (1...50).map(Double.init), y: variance)])
    let doc = try SVGSummary.parse(try chart.svg())
    #expect(doc.count("polyline", "series") == 1)
    #expect(doc.texts("tick-label").contains("50"))
    #expect(throws: ChartError.self) {
      try LineChart(title: "t", series: [.init(name: "s", x: [1, 2], y: [1])]).svg()
    }
    #expect(throws: ChartError.self) {
      try LineChart(title: "t", series: [.init(name: "s", y: [.nan])]).svg()
    }
  }

  @Test func heatmapHasCellsValuesAndLabels() throws {
    let m = try ConfusionMatrix(
      truth: [.angry, .happy, .happy, .sad, .fear], predicted: [.angry, .happy, .sad, .sad, .fear])
    let doc = try SVGSummary.parse(try Heatmap(confusion: m).svg())
    #expect(doc.count("rect", "cell") == 49)
    let values = doc.texts("cell-value")
    #expect(values.count == 49)
    // Row-major: row "happy" (3) has 1 at column happy (3) and 1 at column sad (5).
    #expect(values[3 * 7 + 3] == "1" && values[3 * 7 + 5] == "1" && values[3 * 7 + 4] == "0")
    #expect(doc.texts("row-label") == Emotion.names)
    #expect(doc.texts("column-label") == Emotion.names)
    #expect(doc.texts("axis-label") == ["predicted", "true"])

    let normalised = try SVGSummary.parse(try Heatmap(confusion: m, normalised: true).svg())
    #expect(normalised.texts("cell-value")[3 * 7 + 3] == "0.50")

    // Normalised maps use a fixed 0…1 colour scale: a top fraction of 0.5 is not the darkest.
    let half = try ConfusionMatrix(classes: ["a", "b"], truth: [0, 0], predicted: [0, 1])
    #expect(try Heatmap(confusion: half).svg().contains("#08306b"))
    #expect(try !Heatmap(confusion: half, normalised: true).svg().contains("#08306b"))
  }

  @Test func heatmapEscapesLabelsAndRejectsRaggedTables() throws {
    let h = Heatmap(
      title: "a<b", rowLabels: ["x&y", "\"q\""], columnLabels: ["c'1"], values: [[1.5], [2]])
    let doc = try SVGSummary.parse(try h.svg())
    #expect(doc.texts("row-label") == ["x&y", "\"q\""])
    #expect(doc.texts("cell-value") == ["1.50", "2.00"])
    #expect(throws: ChartError.self) {
      try Heatmap(title: "t", rowLabels: ["a"], columnLabels: ["b", "c"], values: [[1]]).svg()
    }
  }

  @Test func gridPlacesNormalisedTilesWithPadding() throws {
    // Three 3x2 tiles: a ramp, its negation scaled, and a constant.
    let ramp: [Float] = [0, 1, 2, 3, 4, 5]
    let tiles = [ramp, ramp.map { -10 * $0 }, [Float](repeating: 7, count: 6)]
    let grid = try ImageGrid.compose(
      tiles: tiles, tileWidth: 3, tileHeight: 2, columns: 2, padding: 1, background: 9)
    // 2 columns: 2*3 + 3 padding wide; 2 rows: 2*2 + 3 padding high.
    #expect(grid.width == 9 && grid.height == 7 && grid.channels == 1)
    func pixel(_ x: Int, _ y: Int) -> UInt8 { grid.pixels[y * grid.width + x] }
    #expect((0..<3).map { pixel(1 + $0, 1) } == [0, 51, 102])
    #expect((0..<3).map { pixel(1 + $0, 2) } == [153, 204, 255])
    #expect((0..<3).map { pixel(5 + $0, 1) } == [255, 204, 153])
    #expect((0..<3).map { pixel(1 + $0, 4) } == [128, 128, 128])
    // Padding and the empty fourth slot keep the background.
    #expect(pixel(0, 0) == 9 && pixel(4, 1) == 9 && pixel(6, 4) == 9 && pixel(8, 6) == 9)
    #expect(grid.pixels.filter { $0 == 9 }.count == 9 * 7 - 3 * 6)
  }

  @Test func gridScalingModes() throws {
    let tiles: [[Float]] = [[0, 10], [20, 300]]
    let shared = try ImageGrid.compose(
      tiles: tiles, tileWidth: 2, tileHeight: 1, columns: 1, padding: 0, scaling: .shared)
    #expect(shared.pixels == [0, 9, 17, 255])
    let clamped = try ImageGrid.compose(
      tiles: tiles, tileWidth: 2, tileHeight: 1, columns: 1, padding: 0, scaling: .clamp)
    #expect(clamped.pixels == [0, 10, 20, 255])
    #expect(throws: ChartError.self) {
      try ImageGrid.compose(tiles: [[1, 2, 3]], tileWidth: 2, tileHeight: 1)
    }
    #expect(throws: ChartError.self) {
      try ImageGrid.compose(tiles: [], tileWidth: 2, tileHeight: 1)
    }
  }

  @Test func gridOfImagesKeepsChannels() throws {
    let red = Image(width: 2, height: 2, channels: 3, pixels: [UInt8](repeating: 200, count: 12))
    let grid = try ImageGrid.compose(images: [red, red, red], padding: 1, background: 0)
    // Default columns: ceil(sqrt(3)) = 2.
    #expect(grid.width == 7 && grid.height == 7 && grid.channels == 3)
    #expect(grid.pixels.filter { $0 == 200 }.count == 3 * 12)
    #expect(
      Array(grid.pixels[((1 * 7) + 1) * 3..<((1 * 7) + 3) * 3]) == [UInt8](repeating: 200, count: 6)
    )
    let grey = Image(width: 2, height: 2, channels: 1)
    #expect(throws: ChartError.self) { try ImageGrid.compose(images: [red, grey]) }
  }
}
