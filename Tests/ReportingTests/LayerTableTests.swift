import Datasets
import Foundation
import NeuralNet
import Reporting
import Testing

@Suite struct LayerTableTests {
  /// A 1×12×12 input through a convolution, a residual block, a ceil-mode pool and a dense head.
  static let spec = NetworkSpec(
    inputChannels: 1, inputHeight: 12, inputWidth: 12,
    layers: [
      .conv2d(outputs: 4, kernel: 3, stride: 1, padding: 1, bias: false),
      .batchNorm(), .relu, .maxPool(kernel: 2, stride: 2),
      .residual(body: [.conv2d(outputs: 4, kernel: 3, stride: 1, padding: 1), .prelu]),
      .maxPoolCeil(kernel: 3, stride: 2), .flatten, .dropout(rate: 0.5), .dense(outputs: 7),
    ])

  /// The rows worked out by hand: a 3×3 convolution from 1 to 4 channels without bias has
  /// 4·1·9 = 36 weights; batch norm 2·4; the residual convolution 4·4·9 + 4 = 148 and its
  /// PReLU 4; pooling 6 → 3 with ceil mode (⌈(6−3)/2⌉ + 1 = 3); flatten 4·3·3 = 36 features;
  /// dense 36·7 + 7 = 259. Total 36 + 8 + 152 + 259 = 455.
  static let expected: [LayerTable.Row] = [
    .init(
      index: "0", kind: "conv2d", settings: "4 filters 3×3, stride 1, padding 1, no bias",
      output: "4×12×12", parameters: 36),
    .init(
      index: "1", kind: "batchNorm", settings: "momentum 0.1, ε 1e-05", output: "4×12×12",
      parameters: 8),
    .init(index: "2", kind: "relu", settings: "", output: "4×12×12", parameters: 0),
    .init(index: "3", kind: "maxPool", settings: "2×2, stride 2", output: "4×6×6", parameters: 0),
    .init(
      index: "4", kind: "residual", settings: "body 2 layer(s), identity shortcut",
      output: "4×6×6", parameters: 152),
    .init(
      index: "4.body.0", kind: "conv2d", settings: "4 filters 3×3, stride 1, padding 1",
      output: "4×6×6", parameters: 148, depth: 1),
    .init(
      index: "4.body.1", kind: "prelu", settings: "", output: "4×6×6", parameters: 4, depth: 1),
    .init(
      index: "5", kind: "maxPoolCeil", settings: "3×3, stride 2, ceil mode", output: "4×3×3",
      parameters: 0),
    .init(index: "6", kind: "flatten", settings: "", output: "36", parameters: 0),
    .init(index: "7", kind: "dropout", settings: "rate 0.5", output: "36", parameters: 0),
    .init(index: "8", kind: "dense", settings: "7 units", output: "7", parameters: 259),
  ]

  @Test func rowsHaveTheShapesAndParameterCountsWorkedOutByHand() throws {
    let table = try LayerTable(network: Self.spec)
    #expect(table.input == "1×12×12")
    #expect(table.rows == Self.expected)
    #expect(table.totalParameters == 455)
    // The network the spec builds has as many trainable values.
    #expect(try Network(spec: Self.spec, seed: 1).parameters.count == 455)
  }

  @Test func aLayerThatDoesNotFitItsInputIsAnError() {
    let spec = NetworkSpec(
      inputChannels: 1, inputHeight: 4, inputWidth: 4,
      layers: [.conv2d(outputs: 2, kernel: 5), .dense(outputs: 3)])
    #expect(throws: ReportError.self) { try LayerTable(network: spec) }
    let planes = NetworkSpec(
      inputChannels: 1, inputHeight: 4, inputWidth: 4, layers: [.dense(outputs: 3)])
    #expect(throws: ReportError.self) { try LayerTable(network: planes) }
  }

  @Test func theReportShowsTheLayersOfACNNCardAsATable() throws {
    let network = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(Self.spec))
    let card = ModelCard(
      kind: .cnn, classes: Emotion.names, input: InputSpec(width: 14, height: 14, channels: 1),
      architecture: ["network": network, "crop": 12])
    let counts = [1, 2, 3, 4, 5, 6, 7]
    let report = EvaluationReport(
      train: ReportDataSet(title: "train", path: "t", counts: counts),
      validation: ReportDataSet(title: "val", path: "v", counts: counts),
      models: [ReportModel(name: "tiny-cnn", path: "Models/tiny-cnn.safetensors", card: card)],
      modelsSource: "Models")
    let html = try report.render().html

    #expect(
      html.contains("<dt>architecture</dt><dd>{&quot;crop&quot;:12}; layers of network below</dd>"))
    #expect(!html.contains("&quot;conv2d&quot;"))  // no raw dump of the layers
    #expect(html.contains("<h4>Layers</h4>\n<table class=\"layers\">"))
    #expect(
      html.contains(
        "<tr><td></td><td class=\"text\">input</td><td class=\"text\"></td><td>1×12×12</td>"
          + "<td></td></tr>"))
    #expect(
      html.contains(
        "<tr><td>0</td><td class=\"text\">conv2d</td><td class=\"text\">4 filters 3×3, "
          + "stride 1, padding 1, no bias</td><td>4×12×12</td><td>36</td></tr>"))
    #expect(
      html.contains(
        "<tr><td>4.body.0</td><td class=\"text\" style=\"padding-left: 27px\">conv2d</td>"
          + "<td class=\"text\">4 filters 3×3, stride 1, padding 1</td><td>4×6×6</td>"
          + "<td>148</td></tr>"))
    #expect(
      html.contains(
        "<tr><td>8</td><td class=\"text\">dense</td><td class=\"text\">7 units</td>"
          + "<td>7</td><td>259</td></tr>"))
    #expect(
      html.contains(
        "<tfoot>\n<tr><td></td><td class=\"text\">total</td><td class=\"text\"></td><td></td>"
          + "<td>455</td></tr>"))
    let layerRows =
      html.components(separatedBy: "<table class=\"layers\">")[1]
      .components(separatedBy: "</tbody>")[0].components(separatedBy: "<tr>").count - 2
    #expect(layerRows == Self.expected.count + 1)  // the input row and one per layer
  }

  @Test func largeCountsAreGroupedByThousands() throws {
    let spec = NetworkSpec(
      inputChannels: 1000, inputHeight: 1, inputWidth: 1,
      layers: [.flatten, .dense(outputs: 1000)])
    let table = try LayerTable(network: spec)
    #expect(table.totalParameters == 1_001_000)
    let counts = [1, 1, 1, 1, 1, 1, 1]
    let network = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(spec))
    let card = ModelCard(
      kind: .cnn, classes: Emotion.names, input: InputSpec(width: 1, height: 1, channels: 1000),
      architecture: ["network": network])
    let html = try EvaluationReport(
      train: ReportDataSet(title: "train", path: "t", counts: counts),
      validation: ReportDataSet(title: "val", path: "v", counts: counts),
      models: [ReportModel(name: "wide", path: "wide.safetensors", card: card)],
      modelsSource: "."
    ).render().html
    #expect(html.contains("<td>1,001,000</td></tr>"))
    #expect(html.contains("<dd>layers of network below</dd>"))
  }
}
