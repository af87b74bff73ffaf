import Foundation

/// Per-channel-free grey normalisation: `(v / 255 − mean) / std`.
public struct Normalization: Codable, Sendable, Hashable {
  /// Mean of the pixels scaled to [0, 1].
  public var mean: Float
  /// Standard deviation of the pixels scaled to [0, 1].
  public var std: Float

  /// A normalisation with these statistics.
  public init(mean: Float, std: Float) {
    self.mean = mean
    self.std = std
  }

  /// Mean and standard deviation of all pixels (scaled to [0, 1]) of `pixels`.
  public static func measure(_ pixels: [UInt8]) -> Normalization {
    var histogram = [Int](repeating: 0, count: 256)
    for p in pixels { histogram[Int(p)] += 1 }
    let n = Double(max(1, pixels.count))
    var mean = 0.0
    for (v, c) in histogram.enumerated() { mean += Double(v) / 255 * Double(c) }
    mean /= n
    var variance = 0.0
    for (v, c) in histogram.enumerated() {
      let d = Double(v) / 255 - mean
      variance += d * d * Double(c)
    }
    let std = max(1e-3, (variance / n).squareRoot())
    return Normalization(mean: Float(mean), std: Float(std))
  }

  /// The centre `crop × crop` of a `width × height` source, normalised, into `output`; with
  /// `mirrored`, its left–right mirror image (the test-time flip's second look).
  public func centerCrop(
    _ source: UnsafePointer<UInt8>, width: Int, height: Int, crop: Int,
    into output: UnsafeMutablePointer<Float>, mirrored: Bool = false
  ) {
    let x0 = (width - crop) / 2
    let y0 = (height - crop) / 2
    let scale = 1 / (255 * std)
    let shift = -mean / std
    for y in 0..<crop {
      let row = source + (y0 + y) * width + x0
      let out = output + y * crop
      for x in 0..<crop { out[x] = Float(row[x]) * scale + shift }
      if mirrored {
        var pixels = UnsafeMutableBufferPointer(start: out, count: crop)
        pixels.reverse()
      }
    }
  }
}
