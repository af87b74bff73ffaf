import Foundation

/// xoshiro256** (Blackman & Vigna): the seeded generator behind every random choice in
/// training (initial weights, shuffling, augmentation), so a run is reproducible from its seed
/// and resumable from a saved ``state``. Never the system generator.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Hashable, Codable {
  /// The four state words; never all zero.
  public private(set) var state: [UInt64]

  /// A generator whose state is four SplitMix64 outputs from `seed`.
  public init(seed: UInt64) {
    var s = seed
    state = (0..<4).map { _ in SplitMix64.next(&s) }
  }

  /// A generator restored from a saved state (four words, not all zero; otherwise seeded by
  /// them instead).
  public init(state: [UInt64]) {
    if state.count == 4 && state.contains(where: { $0 != 0 }) {
      self.state = state
    } else {
      var s = state.reduce(0x9E37_79B9_7F4A_7C15) { $0 ^ $1 }
      self.state = (0..<4).map { _ in SplitMix64.next(&s) }
    }
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotl(state[1] &* 5, 7) &* 9
    let t = state[1] << 17
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = rotl(state[3], 45)
    return result
  }

  /// Uniform in `[0, 1)` with 24 bits of precision.
  package mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

  /// Uniform in `[0, 1)` with 53 bits of precision.
  public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// Uniform in `0..<bound` (bound > 0), without modulo bias.
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    return Int(next(upperBound: UInt64(bound)))
  }

  /// A standard normal sample (Box–Muller).
  public mutating func nextGaussian() -> Double {
    let u1 = max(nextDouble(), 0x1p-60)
    let u2 = nextDouble()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// Shuffles `array` in place (Fisher–Yates, defined here so the order never depends on the
  /// standard library's algorithm).
  public mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      let j = nextInt(below: i + 1)
      if i != j { array.swapAt(i, j) }
    }
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
