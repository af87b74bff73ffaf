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
