import Foundation

extension Replicas {
  /// Evaluation-mode logits of the centre `crop × crop` of `count` grey images (`count × height
  /// × width` bytes, image after image), normalised, `count × classes`; with `flip` the mean of
  /// the logits of each crop and of its left–right mirror. Batches larger than ``maxBatch``
  /// are split.
  public func centerCropLogits(
    pixels: [UInt8], count: Int, width: Int, height: Int, crop: Int,
    normalization: Normalization, flip: Bool
  ) throws -> [Float] {
    guard count >= 0, width >= crop, height >= crop, pixels.count == count * width * height
    else {
      throw NetworkError.shapeMismatch(expected: [count, height, width], got: [pixels.count])
    }
    let plain = try centerCropLogits(
      pixels: pixels, count: count, width: width, height: height, crop: crop,
      normalization: normalization, mirrored: false)
    guard flip else { return plain }
    let mirrored = try centerCropLogits(
      pixels: pixels, count: count, width: width, height: height, crop: crop,
      normalization: normalization, mirrored: true)
    return zip(plain, mirrored).map { ($0 + $1) / 2 }
  }

  private func centerCropLogits(
    pixels: [UInt8], count: Int, width w: Int, height h: Int, crop: Int,
    normalization: Normalization, mirrored: Bool
  ) throws -> [Float] {
    let classes = network.classes
    var logits = [Float](repeating: 0, count: count * classes)
    var start = 0
    while start < count {
      let n = min(maxBatch, count - start)
      let base = start
      let fill: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void = { range, out in
        pixels.withUnsafeBufferPointer { src in
          for j in range {
            let target = out + (j - range.lowerBound) * crop * crop
            normalization.centerCrop(
              src.baseAddress! + (base + j) * w * h, width: w, height: h, crop: crop,
              into: target, mirrored: mirrored)
          }
        }
      }
      try logits.withUnsafeMutableBufferPointer {
        try infer(batch: n, into: $0.baseAddress! + start * classes, fill: fill)
      }
      start += n
    }
    return logits
  }
}
