/// Integral images of an 8-bit grey image, as OpenCV's `cv::integral(src, sum, sqsum, tilted,
/// CV_32S, CV_32S)` computes them: each plane is `(width + 1) x (height + 1)`, row and column 0
/// zero, laid out with a caller-chosen row stride.
///
/// - `sum[Y][X]` = Σ pixels with x < X, y < Y.
/// - `squares[Y][X]` = Σ pixel² over the same area, in wrapping 32-bit arithmetic as OpenCV's
///   CV_32S plane (differences over a window stay exact).
/// - `tilted[Y][X]` = Σ pixels with y < Y and |x − X + 1| ≤ Y − y − 1 (the 45° triangle
///   above the point), for rotated features.
enum IntegralPlanes {
  /// Fills the upright sum and squared-sum planes.
  static func upright(
    _ pixels: UnsafePointer<UInt8>, width: Int, height: Int,
    sum: UnsafeMutablePointer<Int32>, squares: UnsafeMutablePointer<Int32>, stride: Int
  ) {
    for x in 0...width {
      sum[x] = 0
      squares[x] = 0
    }
    for y in 0..<height {
      let line = pixels + y * width
      let above = sum + y * stride
      let row = above + stride
      let aboveSquares = squares + y * stride
      let rowSquares = aboveSquares + stride
      row[0] = 0
      rowSquares[0] = 0
      var running: Int32 = 0
      var runningSquares: Int32 = 0
      for x in 0..<width {
        let p = Int32(line[x])
        running &+= p
        runningSquares &+= p &* p
        row[x + 1] = above[x + 1] &+ running
        rowSquares[x + 1] = aboveSquares[x + 1] &+ runningSquares
      }
    }
  }

  /// Fills the tilted plane by the recurrence
  /// `T(X, Y) = T(X−1, Y−1) + T(X+1, Y−1) − T(X, Y−2) + I(X−1, Y−1) + I(X−1, Y−2)`,
  /// where out-of-image pixels are 0 and, past the side columns,
  /// `T(−1, Y) = T(0, Y−1)` and `T(W+1, Y) = T(W, Y−1)` (the clipped triangles coincide).
  static func tilted(
    _ pixels: UnsafePointer<UInt8>, width: Int, height: Int,
    into tilted: UnsafeMutablePointer<Int32>, stride: Int
  ) {
    for x in 0...width { tilted[x] = 0 }
    guard height > 0 else { return }
    for y in 1...height {
      let row = tilted + y * stride
      let above = row - stride
      let twoAbove: UnsafeMutablePointer<Int32>? = y >= 2 ? row - 2 * stride : nil
      let line1 = pixels + (y - 1) * width
      let line2: UnsafePointer<UInt8>? = y >= 2 ? pixels + (y - 2) * width : nil
      for x in 0...width {
        // T(X-1, Y-1), with T(-1, Y-1) = T(0, Y-2).
        let left: Int32 = x >= 1 ? above[x - 1] : (twoAbove?[0] ?? 0)
        // T(X+1, Y-1), with T(W+1, Y-1) = T(W, Y-2).
        let right: Int32 = x + 1 <= width ? above[x + 1] : (twoAbove?[width] ?? 0)
        let middle: Int32 = twoAbove?[x] ?? 0
        var value = left &+ right &- middle
        if x >= 1 {
          value &+= Int32(line1[x - 1])
          if let line2 { value &+= Int32(line2[x - 1]) }
        }
        row[x] = value
      }
    }
  }
}
