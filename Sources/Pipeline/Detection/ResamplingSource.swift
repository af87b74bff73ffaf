import Tensor
import Vision

/// The photo to resample from: through its summed-area table when that fits in memory, else
/// directly. Both give the same values (exact integer window sums; see ``IntegralImage``).
struct ResamplingSource {
  let image: Image
  let integral: IntegralImage?

  /// The source of `image`; its summed-area table is built in `storage`'s memory when that is
  /// large enough (see ``IntegralImage/init(_:reusing:instructions:workers:)``), and read by the vector
  /// kernels of `instructions` (nil: by a scalar loop), on `workers` threads.
  init(
    _ image: Image, reusing storage: consuming [UInt32] = [],
    instructions: PlanarInstructions? = nil, workers: Int = 1
  ) {
    self.image = image
    integral =
      image.width * image.height <= IntegralImage.maxPixels
      ? IntegralImage(
        image, reusing: consume storage, instructions: instructions, workers: workers) : nil
  }

  /// The summed-area table's memory, for the next source to reuse (empty without a table).
  consuming func takeStorage() -> [UInt32] { integral?.takeStorage() ?? [] }

  /// Area resampling of a region to `[3, outHeight, outWidth]` normalised floats, or of its
  /// output rows `rows` only, placed with the given strides (see
  /// ``IntegralImage/resample(x:y:width:height:outWidth:outHeight:rows:into:rowStride:planeStride:)``).
  func resample(
    x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int,
    rows: Range<Int>? = nil, into destination: UnsafeMutablePointer<Float>,
    rowStride: Int? = nil, planeStride: Int? = nil
  ) {
    if let integral {
      integral.resample(
        x: x, y: y, width: width, height: height, outWidth: outWidth, outHeight: outHeight,
        rows: rows, into: destination, rowStride: rowStride, planeStride: planeStride)
    } else {
      AreaResampler.resample(
        image, x: x, y: y, width: width, height: height, outWidth: outWidth,
        outHeight: outHeight, rows: rows, into: destination, rowStride: rowStride,
        planeStride: planeStride)
    }
  }
}
