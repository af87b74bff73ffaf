import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct DatasetCommandTests {
  @Test func statsPrintsCountsSharesAndTotals() throws {
    guard let fer = try SharedData.path("datasets/fer2013/train") else { return }
    let temporary = try TemporaryDirectory()
    defer { temporary.cleanup() }
    let environment = ["EMOCL_CACHE": temporary.url.appendingPathComponent("cache").path]
    let first = temporary.url.appendingPathComponent("first")
    let second = temporary.url.appendingPathComponent("second")
    for (root, files) in [
      (
        first,
        [
          "angry/Training_10118481.jpg", "happy/Training_10019449.jpg",
          "happy/Training_10046809.jpg",
        ]
      ),
      (second, ["happy/Training_10019449.jpg"]),
    ] {
      for file in files {
        let target = root.appendingPathComponent(file)
        try FileManager.default.createDirectory(
          at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contentsOf: fer.appendingPathComponent(file)).write(to: target)
      }
    }
    let chart = temporary.url.appendingPathComponent("distribution.svg")
    let result = try runCLI(
      ["dataset", "stats", first.path, second.path, "--plot", chart.path],
      environment: environment)
    #expect(result.status == 0, "\(result.error)")
    let lines = result.output.split(separator: "\n").map {
      $0.split(separator: " ").joined(separator: " ")
    }
    #expect(lines.first == "class first second all")
    #expect(lines.contains("angry 1 33.3% 0 0.0% 1 25.0%"))
    #expect(lines.contains("happy 2 66.7% 1 100.0% 3 75.0%"))
    #expect(lines.contains("total 3 100.0% 1 100.0% 4 100.0%"))
    #expect(lines.contains("first: 3 images of 48x48"))
    // The chart: well-formed SVG with a bar per class and folder, the folders in the legend.
    let svg = try #require(XMLParser(contentsOf: chart))
    let elements = ElementCollector()
    svg.delegate = elements
    #expect(svg.parse())
    #expect(elements.names.first == "svg")
    #expect(elements.barCount == 14)
    #expect(elements.text.contains("first") && elements.text.contains("second"))
    let unwritable = try runCLI(
      ["dataset", "stats", first.path, "--plot", "/nonexistent/folder/chart.svg"],
      environment: environment)
    #expect(unwritable.status != 0)
    #expect(unwritable.error.contains("cannot write the chart to /nonexistent/folder/chart.svg"))
    // The cache that the first wrote under EMOCL_CACHE.
    let cacheFiles = try FileManager.default.contentsOfDirectory(
      atPath: temporary.url.appendingPathComponent("cache/datasets").path)
    #expect(cacheFiles.count == 2)
  }

  @Test func badFolderIsAClearErrorWithoutTrace() throws {
    let temporary = try TemporaryDirectory()
    defer { temporary.cleanup() }
    try FileManager.default.createDirectory(
      at: temporary.url.appendingPathComponent("contempt"), withIntermediateDirectories: true)
    let result = try runCLI(
      ["dataset", "stats", temporary.url.path],
      environment: ["EMOCL_CACHE": temporary.url.appendingPathComponent("cache").path])
    #expect(result.status != 0)
    #expect(result.error.contains("unknown class folder 'contempt'"))
    #expect(!result.error.contains("Fatal error") && !result.error.contains("Stack"))
    #expect(result.output.isEmpty)

    let missing = try runCLI(["dataset", "stats", "/nonexistent/emocl"])
    #expect(missing.status != 0)
    #expect(missing.error.contains("not found or not a directory: /nonexistent/emocl"))
  }
}

/// Counts `rect` elements of class `bar` and gathers text.
private final class ElementCollector: NSObject, XMLParserDelegate {
  var names: [String] = []
  var barCount = 0
  var text = ""

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    names.append(name)
    if name == "rect", attributes["class"]?.split(separator: " ").contains("bar") == true {
      barCount += 1
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
