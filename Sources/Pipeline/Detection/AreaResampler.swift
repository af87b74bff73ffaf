import Tensor
import Vision

/// Area resampling of an image region to planar, normalised floats: what facenet-pytorch's MTCNN
/// feeds its networks (`torch.nn.functional.interpolate(mode="area")`, i.e. adaptive average
/// pooling, then `(v − 127.5) / 128`).
///
/// Output pixel `(oy, ox)` of an `outHeight × outWidth` resampling of an `h × w` region is the
/// mean of input rows `⌊oy·h/outHeight⌋ ..< ⌈(oy+1)·h/outHeight⌉` and the columns likewise
/// (windows overlap when the sizes do not divide). The sum runs row by row in Float and is
/// divided by the window's size, as PyTorch's CPU kernel does, so results match to rounding.
public enum AreaResampler {
  /// Writes `[3, outHeight, outWidth]` floats (RGB planes; a grey image gives three equal
  /// planes) of the region `x ..< x + width`, `y ..< y + height` of `image` into `destination`,
  /// output rows `rows` only, placed as ``IntegralImage/resample(x:y:width:height:outWidth:outHeight:rows:into:rowStride:planeStride:)``
  /// places them. The region must be non-empty and inside the image.
  static func resample(
    _ image: Image, x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int,
    rows: Range<Int>? = nil, into destination: UnsafeMutablePointer<Float>,
    rowStride: Int? = nil, planeStride: Int? = nil
  ) {
    precondition(width > 0 && height > 0 && outWidth > 0 && outHeight > 0)
    precondition(x >= 0 && y >= 0 && x + width <= image.width && y + height <= image.height)
    let rows = rows ?? 0..<outHeight
    precondition(rows.lowerBound >= 0 && rows.upperBound <= outHeight)
    let rowStride = rowStride ?? outWidth
    let channels = image.channels
    let stride = image.width * channels
    let plane = planeStride ?? outWidth * outHeight
    // Column windows once per call: [start, end) in region coordinates.
    var columnStart = [Int](repeating: 0, count: outWidth)
    var columnEnd = [Int](repeating: 0, count: outWidth)
    for ox in 0..<outWidth {
      columnStart[ox] = ox * width / outWidth
      columnEnd[ox] = ((ox + 1) * width + outWidth - 1) / outWidth
    }
    image.pixels.withUnsafeBufferPointer { pixels in
      let base = pixels.baseAddress! + y * stride + x * channels
      for oy in rows {
        let rowStart = oy * height / outHeight
        let rowEnd = ((oy + 1) * height + outHeight - 1) / outHeight
        for ox in 0..<outWidth {
          let (c0, c1) = (columnStart[ox], columnEnd[ox])
          let count = Float((rowEnd - rowStart) * (c1 - c0))
          var sums = SIMD3<Float>()
          for row in rowStart..<rowEnd {
            let p = base + row * stride
            if channels == 3 {
              for column in c0..<c1 {
                let q = p + column * 3
                sums += SIMD3(Float(q[0]), Float(q[1]), Float(q[2]))
              }
            } else {
              for column in c0..<c1 { sums += SIMD3(repeating: Float(p[column])) }
            }
          }
          let mean = sums / count
          let normalised = (mean - 127.5) * 0.0078125
          let o = (oy - rows.lowerBound) * rowStride + ox
          destination[o] = normalised.x
          destination[plane + o] = normalised.y
          destination[2 * plane + o] = normalised.z
        }
      }
    }
  }

  /// The `[3, outHeight, outWidth]` normalised floats of a region, resampled directly or
  /// through a summed-area table (``IntegralImage``) read by the vector kernels of
  /// `instructions` (nil: a scalar loop); all must agree exactly. With `rows`, only those output
  /// rows: `[3, rows.count, outWidth]`.
  public static func resampled(
    _ image: Image, x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int,
    summedAreaTable: Bool, rows: Range<Int>? = nil, instructions: PlanarInstructions? = nil
  ) -> [Float] {
    let rows = rows ?? 0..<outHeight
    var out = [Float](repeating: 0, count: 3 * outWidth * rows.count)
    out.withUnsafeMutableBufferPointer {
      if summedAreaTable {
        IntegralImage(image, instructions: instructions).resample(
          x: x, y: y, width: width, height: height, outWidth: outWidth, outHeight: outHeight,
          rows: rows, into: $0.baseAddress!, planeStride: outWidth * rows.count)
      } else {
        resample(
          image, x: x, y: y, width: width, height: height, outWidth: outWidth,
          outHeight: outHeight, rows: rows, into: $0.baseAddress!,
          planeStride: outWidth * rows.count)
      }
    }
    return out
  }
}
