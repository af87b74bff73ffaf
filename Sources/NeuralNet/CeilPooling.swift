/// The output size of max pooling with PyTorch's `ceil_mode=True` (``LayerSpec/maxPoolCeil(kernel:stride:)``).
public enum CeilPooling {
  /// PyTorch's output length for an input of `length` (≥ `kernel`): `⌈(length − kernel) /
  /// stride⌉ + 1`, less one if the last window would start at or past the input's end.
  public static func outputSide(_ length: Int, kernel: Int, stride: Int) -> Int {
    var side = (length - kernel + stride - 1) / stride + 1
    if (side - 1) * stride >= length { side -= 1 }
    return side
  }
}
