/// One layer of a network description. Stored as JSON in checkpoints and model cards, e.g.
/// `{"type":"conv2d","outputs":32,"kernel":3,"stride":1,"padding":1,"bias":false}`.
///
/// Activations flow as `[channels, batch, height, width]` (see ``Network``); a layer that
/// produces features (``dense(outputs:bias:)``, ``flatten``, ``globalAvgPool``) yields
/// `height = width = 1`.
public indirect enum LayerSpec: Sendable, Hashable {
  /// 2-D convolution, square kernel, PyTorch weight layout `[outputs, inputs, kernel, kernel]`.
  case conv2d(outputs: Int, kernel: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true)
  /// Batch normalisation over each channel (2-D on planes, 1-D on features), with running
  /// statistics updated as `running = (1 − momentum)·running + momentum·batch` (PyTorch).
  case batchNorm(momentum: Float = 0.1, epsilon: Float = 1e-5)
  /// `max(x, 0)`.
  case relu
  /// `x · sigmoid(x)` (also called swish).
  case silu
  /// Maximum over `kernel × kernel` windows moved by `stride`, no padding.
  case maxPool(kernel: Int, stride: Int)
  /// Maximum over `kernel × kernel` windows moved by `stride` with PyTorch's `ceil_mode=True`:
  /// a last, partial window is kept when the input does not end on a window boundary (see
  /// ``CeilMaxPoolLayer``).
  case maxPoolCeil(kernel: Int, stride: Int)
  /// `x` where positive, else `a_c · x`, with one learnt slope `a_c` per channel (PyTorch's
  /// `PReLU(channels)`, weight `[channels]`, initialised to 0.25).
  case prelu
  /// Mean over `kernel × kernel` windows moved by `stride`, no padding.
  case avgPool(kernel: Int, stride: Int)
  /// Mean over each whole plane: `[C, H, W] → [C]`.
  case globalAvgPool
  /// Zeroes each element with probability `rate` in training and scales the rest by
  /// `1 / (1 − rate)`; identity in evaluation.
  case dropout(rate: Float)
  /// `[C, H, W] → [C·H·W]` in PyTorch's order (`c·H·W + y·W + x`).
  case flatten
  /// Fully connected layer on features, weight `[outputs, inputs]`.
  case dense(outputs: Int, bias: Bool = true)
  /// `body(x) + shortcut(x)`; an empty shortcut is the identity. Both must give one shape.
  case residual(body: [LayerSpec], shortcut: [LayerSpec] = [])
}

extension LayerSpec: Codable {
  private enum Key: String, CodingKey {
    case type, outputs, kernel, stride, padding, bias, momentum, epsilon, rate, body, shortcut
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    let type = try c.decode(String.self, forKey: .type)
    switch type {
    case "conv2d":
      self = .conv2d(
        outputs: try c.decode(Int.self, forKey: .outputs),
        kernel: try c.decode(Int.self, forKey: .kernel),
        stride: try c.decodeIfPresent(Int.self, forKey: .stride) ?? 1,
        padding: try c.decodeIfPresent(Int.self, forKey: .padding) ?? 0,
        bias: try c.decodeIfPresent(Bool.self, forKey: .bias) ?? true)
    case "batchNorm":
      self = .batchNorm(
        momentum: try c.decodeIfPresent(Float.self, forKey: .momentum) ?? 0.1,
        epsilon: try c.decodeIfPresent(Float.self, forKey: .epsilon) ?? 1e-5)
    case "relu": self = .relu
    case "silu": self = .silu
    case "maxPool":
      self = .maxPool(
        kernel: try c.decode(Int.self, forKey: .kernel),
        stride: try c.decode(Int.self, forKey: .stride))
    case "maxPoolCeil":
      self = .maxPoolCeil(
        kernel: try c.decode(Int.self, forKey: .kernel),
        stride: try c.decode(Int.self, forKey: .stride))
    case "prelu": self = .prelu
    case "avgPool":
      self = .avgPool(
        kernel: try c.decode(Int.self, forKey: .kernel),
        stride: try c.decode(Int.self, forKey: .stride))
    case "globalAvgPool": self = .globalAvgPool
    case "dropout": self = .dropout(rate: try c.decode(Float.self, forKey: .rate))
    case "flatten": self = .flatten
    case "dense":
      self = .dense(
        outputs: try c.decode(Int.self, forKey: .outputs),
        bias: try c.decodeIfPresent(Bool.self, forKey: .bias) ?? true)
    case "residual":
      self = .residual(
        body: try c.decode([LayerSpec].self, forKey: .body),
        shortcut: try c.decodeIfPresent([LayerSpec].self, forKey: .shortcut) ?? [])
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: c, debugDescription: "unknown layer type \"\(type)\"")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    switch self {
    case .conv2d(let outputs, let kernel, let stride, let padding, let bias):
      try c.encode("conv2d", forKey: .type)
      try c.encode(outputs, forKey: .outputs)
      try c.encode(kernel, forKey: .kernel)
      try c.encode(stride, forKey: .stride)
      try c.encode(padding, forKey: .padding)
      try c.encode(bias, forKey: .bias)
    case .batchNorm(let momentum, let epsilon):
      try c.encode("batchNorm", forKey: .type)
      try c.encode(momentum, forKey: .momentum)
      try c.encode(epsilon, forKey: .epsilon)
    case .relu: try c.encode("relu", forKey: .type)
    case .silu: try c.encode("silu", forKey: .type)
    case .maxPool(let kernel, let stride):
      try c.encode("maxPool", forKey: .type)
      try c.encode(kernel, forKey: .kernel)
      try c.encode(stride, forKey: .stride)
    case .maxPoolCeil(let kernel, let stride):
      try c.encode("maxPoolCeil", forKey: .type)
      try c.encode(kernel, forKey: .kernel)
      try c.encode(stride, forKey: .stride)
    case .prelu: try c.encode("prelu", forKey: .type)
    case .avgPool(let kernel, let stride):
      try c.encode("avgPool", forKey: .type)
      try c.encode(kernel, forKey: .kernel)
      try c.encode(stride, forKey: .stride)
    case .globalAvgPool: try c.encode("globalAvgPool", forKey: .type)
    case .dropout(let rate):
      try c.encode("dropout", forKey: .type)
      try c.encode(rate, forKey: .rate)
    case .flatten: try c.encode("flatten", forKey: .type)
    case .dense(let outputs, let bias):
      try c.encode("dense", forKey: .type)
      try c.encode(outputs, forKey: .outputs)
      try c.encode(bias, forKey: .bias)
    case .residual(let body, let shortcut):
      try c.encode("residual", forKey: .type)
      try c.encode(body, forKey: .body)
      try c.encode(shortcut, forKey: .shortcut)
    }
  }
}
