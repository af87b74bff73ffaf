/// The smallest and largest value each channel of an activation took over calibration data,
/// widened as more data goes by; its ``quantization`` is what an 8-bit layer stores it with.
public struct ActivationRange: Sendable, Equatable {
  public var minimum: [Float]
  public var maximum: [Float]

  public var channels: Int { minimum.count }

  public init(minimum: [Float], maximum: [Float]) {
    precondition(minimum.count == maximum.count)
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The range of `count` values per channel in `planes` (`[channels][count]`, row-major).
  public init(planes: UnsafePointer<Float>, channels: Int, count: Int) {
    var minimum: [Float] = []
    var maximum: [Float] = []
    for c in 0..<channels {
      let plane = UnsafeBufferPointer(start: planes + c * count, count: count)
      minimum.append(plane.min() ?? 0)
      maximum.append(plane.max() ?? 0)
    }
    self.init(minimum: minimum, maximum: maximum)
  }

  /// Widened to hold `other` too (the same channels).
  public mutating func widen(to other: ActivationRange) {
    precondition(other.channels == channels)
    for c in 0..<channels {
      minimum[c] = min(minimum[c], other.minimum[c])
      maximum[c] = max(maximum[c], other.maximum[c])
    }
  }

  /// Each element of `ranges` widened by the same element of `other`; `other` itself when
  /// `ranges` is nil (the first data seen).
  public static func widen(_ ranges: [ActivationRange]?, to other: [ActivationRange])
    -> [ActivationRange]
  {
    guard var ranges else { return other }
    precondition(ranges.count == other.count)
    for k in ranges.indices { ranges[k].widen(to: other[k]) }
    return ranges
  }

  /// 256 levels over the range (widened to hold 0): ``ByteQuantization/init(minimum:maximum:)``.
  public var quantization: ByteQuantization {
    ByteQuantization(minimum: minimum, maximum: maximum)
  }
}
