/// How a `cnn` model runs, for ``Datasets/ModelFile/emotionClassifier(name:cnn:)``.
public struct CNNOptions: Sendable, Hashable {
  /// Whether each face is classified with its mirror image too (nil: as the card says; the
  /// shipped model does).
  public var flip: Bool?
  /// Whether the network runs in 8 bits (`NeuralNet.Int8Network`) where it can: the card holds
  /// its int8 ranges and the CPU has AVX-512 VNNI. On by default: the shipped model's 8-bit
  /// form was measured within 0.3 points of the float one's val accuracy (its card records
  /// both) at about three times the speed. Off, or where it cannot, the float network runs.
  public var int8: Bool

  public init(flip: Bool? = nil, int8: Bool = true) {
    self.flip = flip
    self.int8 = int8
  }
}
