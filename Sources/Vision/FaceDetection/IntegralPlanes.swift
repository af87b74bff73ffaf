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

/// Integral images of a grey image, for inspection and tests (the detector computes them into
/// its own buffers). Planes are `(width + 1) * (height + 1)` values, row-major.
public struct IntegralImages: Sendable, Equatable {
  /// Image width; planes are `width + 1` wide.
  public let width: Int
  /// Image height; planes are `height + 1` high.
  public let height: Int
  /// Σ pixels above and left of each point.
  public let sum: [Int32]
  /// Σ pixel² above and left of each point, wrapping in 32 bits as OpenCV's CV_32S plane.
  public let squares: [Int32]
  /// The 45° rotated integral (OpenCV's `tilted` output).
  public let tilted: [Int32]

  /// Computes all three planes of a grey image.
  /// - Throws: `FaceDetectionError.notGrey` if `image.channels != 1`.
  public init(of image: Image) throws {
    guard image.channels == 1 else { throw FaceDetectionError.notGrey(channels: image.channels) }
    width = image.width
    height = image.height
    let count = (width + 1) * (height + 1)
    var sum = [Int32](repeating: 0, count: count)
    var squares = [Int32](repeating: 0, count: count)
    var tilted = [Int32](repeating: 0, count: count)
    let (w, h) = (width, height)
    image.pixels.withUnsafeBufferPointer { pixels in
      let base = pixels.baseAddress ?? UnsafePointer(bitPattern: 1)!
      sum.withUnsafeMutableBufferPointer { s in
        squares.withUnsafeMutableBufferPointer { q in
          IntegralPlanes.upright(
            base, width: w, height: h, sum: s.baseAddress!, squares: q.baseAddress!,
            stride: w + 1)
        }
      }
      tilted.withUnsafeMutableBufferPointer { t in
        IntegralPlanes.tilted(base, width: w, height: h, into: t.baseAddress!, stride: w + 1)
      }
    }
    self.sum = sum
    self.squares = squares
    self.tilted = tilted
  }
}
