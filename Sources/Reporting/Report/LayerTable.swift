import Datasets
import Foundation
import NeuralNet
import Tensor

/// A network's layers as a report shows them: one row per layer with its kind, its settings,
/// the shape it outputs for one image and its number of trainable parameters, plus the total.
///
/// Shapes follow ``NetworkSpec``'s rules: planes are `C×H×W`; after `flatten`,
/// `globalAvgPool` or `dense` the activation is `N` features. Parameters are the trainable
/// values (weights, biases, batch-norm scale and shift, PReLU slopes); a batch norm's running
/// mean and variance are state, not counted. The layers of a residual block follow its own
/// row, indexed by their state-dict names (`3.body.0`, `3.shortcut.0`).
public struct LayerTable: Sendable, Hashable {
  /// One layer of the table.
  public struct Row: Sendable, Hashable {
    /// The layer's state-dict prefix: `"3"`, or `"3.body.0"` inside a residual block.
    public var index: String
    /// The layer's kind as in the model file (`conv2d`, `batchNorm`, `dense`, …).
    public var kind: String
    /// Its settings in words, e.g. `3×3, stride 1, padding 1, no bias`; empty when it has none.
    public var settings: String
    /// The output for one image: `C×H×W` for planes, `N` for features.
    public var output: String
    /// Trainable parameters of the layer (for a residual block, those of its layers).
    public var parameters: Int
    /// 0 for a layer of the network, 1 inside a residual block, and so on.
    public var depth: Int

    /// A row from parts.
    public init(
      index: String, kind: String, settings: String, output: String, parameters: Int,
      depth: Int = 0
    ) {
      self.index = index
      self.kind = kind
      self.settings = settings
      self.output = output
      self.parameters = parameters
      self.depth = depth
    }
  }

  /// The input for one image, `C×H×W`.
  public var input: String
  /// The layers in order, each residual block followed by its layers.
  public var rows: [Row]
  /// Trainable parameters of the whole network.
  public var totalParameters: Int

  /// The table of `network`.
  ///
  /// - Throws: `ReportError.invalidInput` when a layer does not fit its input (a kernel larger
  ///   than the padded plane, a dense layer on planes, a residual block whose branches differ).
  public init(network: NetworkSpec) throws(ReportError) {
    var walk = Walk()
    let input = Walk.Shape(
      channels: network.inputChannels, height: network.inputHeight, width: network.inputWidth)
    guard input.channels > 0, input.height > 0, input.width > 0 else {
      throw .invalidInput("network input \(input.text) is not positive")
    }
    let (_, total) = try walk.layers(network.layers, input: input, prefix: "", depth: 0)
    self.input = input.text
    rows = walk.rows
    totalParameters = total
  }

  /// The tables of the networks in a model card's `architecture`: one per member that is a
  /// ``NetworkSpec`` (`network` for a CNN; MTCNN's `pnet`, `rnet`, `onet`), by member name.
  /// Empty when there is none or one does not fit together.
  public static func tables(in architecture: JSONValue) -> [(name: String, table: LayerTable)] {
    guard case .object(let members) = architecture else { return [] }
    var found: [(name: String, table: LayerTable)] = []
    for (name, value) in members.sorted(by: { $0.key < $1.key }) {
      guard case .object = value,
        let data = try? JSONEncoder().encode(value),
        let spec = try? JSONDecoder().decode(NetworkSpec.self, from: data)
      else { continue }
      guard let table = try? LayerTable(network: spec) else { return [] }
      found.append((name, table))
    }
    return found
  }
}

extension LayerTable {
  /// Walks layer specs, keeping the activation shape and appending a row per layer.
  private struct Walk {
    /// An activation for one image; `features` after flatten, global pooling or dense.
    struct Shape {
      var channels: Int
      var height: Int
      var width: Int
      var features = false

      var text: String { features ? "\(channels)" : "\(channels)×\(height)×\(width)" }
    }

    var rows: [LayerTable.Row] = []

    /// Appends the rows of `specs`; returns the output shape and the parameters of all of them.
    mutating func layers(_ specs: [LayerSpec], input: Shape, prefix: String, depth: Int)
      throws(ReportError) -> (Shape, Int)
    {
      var shape = input
      var total = 0
      for (i, spec) in specs.enumerated() {
        let (output, parameters) = try layer(
          spec, input: shape, index: prefix + "\(i)", depth: depth)
        shape = output
        total += parameters
      }
      return (shape, total)
    }

    private mutating func layer(_ spec: LayerSpec, input x: Shape, index: String, depth: Int)
      throws(ReportError) -> (Shape, Int)
    {
      if case .residual(let body, let shortcut) = spec {
        return try residual(body: body, shortcut: shortcut, input: x, index: index, depth: depth)
      }
      let (kind, settings) = Self.describe(spec)
      let (output, parameters) = try Self.apply(spec, to: x, index: index)
      rows.append(
        LayerTable.Row(
          index: index, kind: kind, settings: settings, output: output.text,
          parameters: parameters, depth: depth))
      return (output, parameters)
    }

    private mutating func residual(
      body: [LayerSpec], shortcut: [LayerSpec], input x: Shape, index: String, depth: Int
    ) throws(ReportError) -> (Shape, Int) {
      guard !body.isEmpty else { throw .invalidInput("layer \(index): residual body is empty") }
      let row = rows.count
      rows.append(
        LayerTable.Row(
          index: index, kind: "residual", settings: "", output: "", parameters: 0, depth: depth))
      let (bodyOut, bodyParameters) = try layers(
        body, input: x, prefix: index + ".body.", depth: depth + 1)
      let (shortcutOut, shortcutParameters) = try layers(
        shortcut, input: x, prefix: index + ".shortcut.", depth: depth + 1)
      guard bodyOut.text == shortcutOut.text else {
        throw .invalidInput(
          "layer \(index): body gives \(bodyOut.text) but shortcut gives \(shortcutOut.text)")
      }
      let parameters = bodyParameters + shortcutParameters
      rows[row].settings =
        "body \(body.count) layer(s), "
        + (shortcut.isEmpty ? "identity shortcut" : "shortcut \(shortcut.count) layer(s)")
      rows[row].output = bodyOut.text
      rows[row].parameters = parameters
      return (bodyOut, parameters)
    }

    /// The layer's output shape and trainable parameters for input `x`.
    private static func apply(_ spec: LayerSpec, to x: Shape, index: String)
      throws(ReportError) -> (Shape, Int)
    {
      func fail(_ why: String) -> ReportError { .invalidInput("layer \(index): \(why)") }
      switch spec {
      case .conv2d(let outputs, let kernel, let stride, let padding, let bias):
        let g = ConvGeometry(
          channels: x.channels, height: x.height, width: x.width, kernel: kernel, stride: stride,
          padding: padding)
        guard outputs > 0, g.isValid else { throw fail("conv2d does not fit input \(x.text)") }
        let weights = outputs * x.channels * kernel * kernel
        return (
          Shape(channels: outputs, height: g.outputHeight, width: g.outputWidth),
          weights + (bias ? outputs : 0)
        )
      case .batchNorm:
        return (x, 2 * x.channels)
      case .prelu:
        return (x, x.channels)
      case .relu, .silu, .dropout:
        return (x, 0)
      case .maxPool(let kernel, let stride), .avgPool(let kernel, let stride):
        let g = ConvGeometry(
          channels: x.channels, height: x.height, width: x.width, kernel: kernel, stride: stride)
        guard g.isValid else { throw fail("pooling does not fit input \(x.text)") }
        return (Shape(channels: x.channels, height: g.outputHeight, width: g.outputWidth), 0)
      case .maxPoolCeil(let kernel, let stride):
        guard kernel > 0, stride > 0, x.height >= kernel, x.width >= kernel else {
          throw fail("pooling does not fit input \(x.text)")
        }
        let height = ceilSide(x.height, kernel: kernel, stride: stride)
        let width = ceilSide(x.width, kernel: kernel, stride: stride)
        return (Shape(channels: x.channels, height: height, width: width), 0)
      case .globalAvgPool:
        return (Shape(channels: x.channels, height: 1, width: 1, features: true), 0)
      case .flatten:
        return (
          Shape(channels: x.channels * x.height * x.width, height: 1, width: 1, features: true), 0
        )
      case .dense(let outputs, let bias):
        guard outputs > 0, x.height == 1, x.width == 1 else {
          throw fail("dense needs features, got \(x.text)")
        }
        return (
          Shape(channels: outputs, height: 1, width: 1, features: true),
          outputs * x.channels + (bias ? outputs : 0)
        )
      case .residual:
        throw fail("a residual block is walked by its own rows")
      }
    }

    /// PyTorch's `ceil_mode=True` output side: `⌈(length − kernel) / stride⌉ + 1`, less one when
    /// the last window would start at or past the input's end.
    private static func ceilSide(_ length: Int, kernel: Int, stride: Int) -> Int {
      var side = (length - kernel + stride - 1) / stride + 1
      if (side - 1) * stride >= length { side -= 1 }
      return side
    }

    /// The layer's kind (its model-file name) and its settings in words.
    private static func describe(_ spec: LayerSpec) -> (String, String) {
      switch spec {
      case .conv2d(let outputs, let kernel, let stride, let padding, let bias):
        let settings =
          "\(outputs) filters \(kernel)×\(kernel), stride \(stride), padding \(padding)"
          + (bias ? "" : ", no bias")
        return ("conv2d", settings)
      case .batchNorm(let momentum, let epsilon):
        return ("batchNorm", "momentum \(momentum), ε \(epsilon)")
      case .relu: return ("relu", "")
      case .silu: return ("silu", "")
      case .prelu: return ("prelu", "")
      case .maxPool(let kernel, let stride):
        return ("maxPool", "\(kernel)×\(kernel), stride \(stride)")
      case .maxPoolCeil(let kernel, let stride):
        return ("maxPoolCeil", "\(kernel)×\(kernel), stride \(stride), ceil mode")
      case .avgPool(let kernel, let stride):
        return ("avgPool", "\(kernel)×\(kernel), stride \(stride)")
      case .globalAvgPool: return ("globalAvgPool", "")
      case .dropout(let rate): return ("dropout", "rate \(rate)")
      case .flatten: return ("flatten", "")
      case .dense(let outputs, let bias):
        return ("dense", "\(outputs) units" + (bias ? "" : ", no bias"))
      case .residual: return ("residual", "")
      }
    }
  }
}
