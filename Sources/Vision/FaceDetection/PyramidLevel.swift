/// One level of the detection pyramid: the image shrunk by `scale`, scanned with the cascade's
/// fixed window.
struct PyramidLevel: Sendable {
  /// Shrink factor (window size in source pixels / training window size), stored in Float as
  /// OpenCV does: it enters the level size and the box coordinates.
  var scale: Float
  /// Size of the shrunk image: `round(source / scale)`.
  var width: Int
  var height: Int
  /// Window step in both directions: 2 while `scale < 2`, else 1 (OpenCV's `ystep`).
  var step: Int
  /// Window size in source pixels: `round(window · scale)`.
  var boxWidth: Int
  var boxHeight: Int
}
