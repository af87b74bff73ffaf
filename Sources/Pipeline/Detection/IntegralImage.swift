import Tensor
import Vision

/// Summed-area table of an 8-bit image, per channel: `table[(y·(W+1) + x)·3 + c]` is the sum of
/// channel `c` over rows `0 ..< y` and columns `0 ..< x` (a grey image fills all three channels
/// alike). Any rectangle's sum is then four look-ups, so resampling a pyramid level costs its
/// output pixels, not the whole photo again.
///
/// Sums are kept modulo 2³² (wrapping adds): a rectangle's sum comes out exact whenever it is
/// below 2³² (any rectangle of fewer than 16 million pixels), and exactly equal to PyTorch's
/// float sums of the same integers (exact below 2²⁴).
struct IntegralImage {
  let width: Int
  let height: Int
  private var table: [UInt32]
  /// The vector kernels ``resample(x:y:width:height:outWidth:outHeight:rows:into:rowStride:planeStride:)``
  /// runs (``AreaResamplingKernel``), or nil for its scalar loop; the same values either way.
  let instructions: PlanarInstructions?

  /// Images with more pixels than this are resampled directly instead (the table takes 12
  /// bytes per pixel).
  static let maxPixels = 16_000_000

  /// The table of `image`, built in `storage`'s memory when it is large enough (a detector
  /// reuses one table's memory from photo to photo, ``takeStorage()``: a fresh 12-byte-per-pixel
  /// table per photo is the largest of a detection's temporaries, and the allocator kept their
  /// freed memory).
  /// With `workers` above 1, bands of its columns are built on threads of their own.
  init(
    _ image: Image, reusing storage: consuming [UInt32] = [],
    instructions: PlanarInstructions? = nil, workers: Int = 1
  ) {
    let (width, height) = (image.width, image.height)
    self.instructions = instructions
    self.width = width
    self.height = height
    let stride = (width + 1) * 3
    let count = (height + 1) * stride
    var table = consume storage
    if table.count < count {
      table = [UInt32](repeating: 0, count: count)
    } else {
      // Row 0 and column 0 are the only cells the build does not write.
      table.withUnsafeMutableBufferPointer { t in
        t.baseAddress!.update(repeating: 0, count: stride)
        for y in 1...height {
          t.baseAddress!.advanced(by: y * stride).update(repeating: 0, count: 3)
        }
      }
    }
    table.withUnsafeMutableBufferPointer { t in
      image.pixels.withUnsafeBufferPointer { p in
        AreaResamplingKernel.summedAreaTable(
          pixels: p.baseAddress!, width: width, height: height, channels: image.channels,
          into: t.baseAddress!, workers: workers)
      }
    }
    self.table = table
  }

  /// The table's memory, for the next table to reuse.
  consuming func takeStorage() -> [UInt32] { table }

  /// Writes the area resampling of the region `x ..< x + width`, `y ..< y + height` to
  /// `outHeight × outWidth` (see ``AreaResampler``), normalised, output rows `rows` only:
  /// pixel `(c, oy, ox)` goes to `destination[c·planeStride + (oy − rows.lowerBound)·rowStride
  /// + ox]`. The defaults write the whole `[3, outHeight, outWidth]`.
  func resample(
    x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int,
    rows: Range<Int>? = nil, into destination: UnsafeMutablePointer<Float>,
    rowStride: Int? = nil, planeStride: Int? = nil
  ) {
    precondition(width > 0 && height > 0 && outWidth > 0 && outHeight > 0)
    precondition(x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height)
    let rows = rows ?? 0..<outHeight
    precondition(rows.lowerBound >= 0 && rows.upperBound <= outHeight)
    let rowStride = rowStride ?? outWidth
    let plane = planeStride ?? outWidth * outHeight
    let stride = (self.width + 1) * 3
    // Offsets in a table row of each output column's first window column and one past its
    // last (3 values a column).
    var columnStart = [Int32](repeating: 0, count: outWidth)
    var columnEnd = [Int32](repeating: 0, count: outWidth)
    for ox in 0..<outWidth {
      columnStart[ox] = Int32(3 * (x + ox * width / outWidth))
      columnEnd[ox] = Int32(3 * (x + ((ox + 1) * width + outWidth - 1) / outWidth))
    }
    // Table rows each output row's window starts and ends at.
    let rowStart = rows.map { Int32(y + $0 * height / outHeight) }
    let rowEnd = rows.map { Int32(y + (($0 + 1) * height + outHeight - 1) / outHeight) }
    table.withUnsafeBufferPointer { t in
      if let instructions {
        AreaResamplingKernel.resample(
          table: t.baseAddress!, tableStride: stride, rowStarts: rowStart, rowEnds: rowEnd,
          columnStarts: columnStart, columnEnds: columnEnd, into: destination,
          rowStride: rowStride, planeStride: plane, instructions: instructions)
        return
      }
      for (k, oy) in rows.enumerated() {
        let (r0, r1) = (Int(rowStart[k]), Int(rowEnd[k]))
        let top = t.baseAddress! + r0 * stride
        let bottom = t.baseAddress! + r1 * stride
        let rowCount = r1 - r0
        let out = destination + (oy - rows.lowerBound) * rowStride
        for ox in 0..<outWidth {
          let (c0, c1) = (Int(columnStart[ox]), Int(columnEnd[ox]))
          let count = Float(rowCount * (c1 - c0) / 3)
          for c in 0..<3 {
            let sum = bottom[c1 + c] &- bottom[c0 + c] &- top[c1 + c] &+ top[c0 + c]
            out[c * plane + ox] = (Float(sum) / count - 127.5) * 0.0078125
          }
        }
      }
    }
  }
}
