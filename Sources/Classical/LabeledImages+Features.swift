import Datasets
import Tensor

extension LabeledImages {
  /// Pixel rows scaled to 0…1, `[count, width·height]`: the features every classical model
  /// takes (the input `InputSpec.fer2013` describes).
  public var pixelFeatures: Tensor {
    Tensor(shape: [count, imageByteCount], storage: floatPixels())
  }
}
