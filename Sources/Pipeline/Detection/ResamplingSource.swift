import Vision

/// The photo to resample from: through its summed-area table when that fits in memory, else
/// directly. Both give the same values (exact integer window sums; see ``IntegralImage``).
struct ResamplingSource {
  let image: Image
  let integral: IntegralImage?

  init(_ image: Image) {
    self.image = image
    integral =
      image.width * image.height <= IntegralImage.maxPixels ? IntegralImage(image) : nil
  }

  /// Area resampling of a region to `[3, outHeight, outWidth]` normalised floats.
  func resample(
    x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int,
    into destination: UnsafeMutablePointer<Float>
  ) {
    if let integral {
      integral.resample(
        x: x, y: y, width: width, height: height, outWidth: outWidth, outHeight: outHeight,
        into: destination)
    } else {
      AreaResampler.resample(
        image, x: x, y: y, width: width, height: height, outWidth: outWidth,
        outHeight: outHeight, into: destination)
    }
  }
}
