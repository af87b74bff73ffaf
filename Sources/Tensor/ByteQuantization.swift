/// How a layer's float activations are stored as bytes for ``Int8Convolution``: channel `c`'s
/// value is `steps[c] · (byte − zeroPoints[c])`. Per channel, because a network's channels
/// differ in range (one step for all would leave the quiet channels a few levels), and with a
/// zero point, because a PReLU's outputs are mostly positive (a zero point of 128 would waste
/// half the levels).
public struct ByteQuantization: Sendable, Equatable {
  public var steps: [Float]
  /// The byte of a value of 0, in 0…255 (an integer when 0 must be stored exactly, as for
  /// padding).
  public var zeroPoints: [Float]

  public var channels: Int { steps.count }

  public init(steps: [Float], zeroPoints: [Float]) {
    precondition(steps.count == zeroPoints.count)
    self.steps = steps
    self.zeroPoints = zeroPoints
  }

  /// One `step` for `channels` channels, zero at byte 128.
  public static func uniform(step: Float, channels: Int) -> ByteQuantization {
    ByteQuantization(
      steps: [Float](repeating: step, count: channels),
      zeroPoints: [Float](repeating: 128, count: channels))
  }

  /// The 256 levels spread over each channel's `minimum[c] … maximum[c]`, widened to hold 0
  /// (so 0 is a byte exactly and padding is exact); a channel that is always 0 gets step 1.
  public init(minimum: [Float], maximum: [Float]) {
    precondition(minimum.count == maximum.count)
    var steps: [Float] = []
    var zeroPoints: [Float] = []
    for (low, high) in zip(minimum, maximum) {
      let (lo, hi) = (min(low, 0), max(high, 0))
      let step = hi > lo ? (hi - lo) / 255 : 1
      steps.append(step)
      zeroPoints.append(min(255, max(0, (-lo / step).rounded())))
    }
    self.init(steps: steps, zeroPoints: zeroPoints)
  }

  /// `inverse steps` and `zero points` padded to `count` (inverse 0 and zero point 128 past
  /// ``channels``: a padding channel's byte is 128).
  func padded(to count: Int) -> (inverse: [Float], zeroPoints: [Float]) {
    let extra = max(0, count - channels)
    return (
      steps.map { 1 / $0 } + [Float](repeating: 0, count: extra),
      zeroPoints + [Float](repeating: 128, count: extra)
    )
  }
}
