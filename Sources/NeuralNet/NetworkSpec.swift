/// A whole network: the input planes and the layers in order. The last layer must produce
/// features (`height = width = 1`); their count is the number of classes.
public struct NetworkSpec: Codable, Sendable, Hashable {
  /// Input channels (1 for grey faces).
  public var inputChannels: Int
  /// Input height in pixels.
  public var inputHeight: Int
  /// Input width in pixels.
  public var inputWidth: Int
  /// The layers, applied in order.
  public var layers: [LayerSpec]

  public init(inputChannels: Int, inputHeight: Int, inputWidth: Int, layers: [LayerSpec]) {
    self.inputChannels = inputChannels
    self.inputHeight = inputHeight
    self.inputWidth = inputWidth
    self.layers = layers
  }

  /// A VGG-style net: for each width in `stageWidths`, two 3×3 convolutions (padding 1, no
  /// bias) each followed by batch norm and ReLU, then 2×2 max pooling; then `dropout`, global
  /// average pooling, dense(`hidden`) + ReLU, dropout `headDropout` and dense(`classes`).
  public static func vgg(
    input: (channels: Int, height: Int, width: Int) = (1, 44, 44),
    stageWidths: [Int] = [32, 64, 128, 256], hidden: Int = 256, classes: Int = 7,
    trunkDropout: Float = 0.3, headDropout: Float = 0.5
  ) -> NetworkSpec {
    var layers: [LayerSpec] = []
    for width in stageWidths {
      for _ in 0..<2 {
        layers += [
          .conv2d(outputs: width, kernel: 3, stride: 1, padding: 1, bias: false),
          .batchNorm(), .relu,
        ]
      }
      layers.append(.maxPool(kernel: 2, stride: 2))
    }
    if trunkDropout > 0 { layers.append(.dropout(rate: trunkDropout)) }
    layers += [.globalAvgPool, .dense(outputs: hidden), .relu]
    if headDropout > 0 { layers.append(.dropout(rate: headDropout)) }
    layers.append(.dense(outputs: classes))
    return NetworkSpec(
      inputChannels: input.channels, inputHeight: input.height, inputWidth: input.width,
      layers: layers)
  }
}
