import Tensor

/// The transformed kernels `U` `[points][Cout][C]` of a Winograd convolution, computed on a
/// call and reused by the next calls while the caller says the weights are frozen (a served
/// model transforms its kernels once; training transforms them on every call).
final class WinogradKernels<Tiling: WinogradTiling> {
  private let buffer: FloatBuffer
  private let outputs: Int
  private let channels: Int
  /// Whether ``buffer`` holds the kernels of a call with frozen weights.
  private var frozen = false

  init(outputs: Int, channels: Int) {
    self.outputs = outputs
    self.channels = channels
    buffer = FloatBuffer(count: Tiling.points * outputs * channels)
  }

  /// `U` of `weight` (`[Cout, C, 3, 3]`), transformed now unless the last call's weights were
  /// frozen and these are too.
  func transformed(_ weight: UnsafePointer<Float>, frozenWeights: Bool) -> UnsafePointer<Float> {
    if !(frozenWeights && frozen) {
      Tiling.transformWeights(weight, outputs: outputs, channels: channels, into: buffer.pointer)
    }
    frozen = frozenWeights
    return UnsafePointer(buffer.pointer)
  }
}
