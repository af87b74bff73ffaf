/// SplitMix64: seeds ``Xoshiro256`` and hashes counters into independent random streams
/// (dropout masks, per-image augmentation) that do not depend on thread scheduling.
///
/// As a value it is also a generator of its own (`SplitMix64(seed:)`), for the randomised
/// algorithms (PCA sketches) and benchmarks that need a small, fast, reproducible stream.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The counter; the next output is `mix(state + 0x9E37_79B9_7F4A_7C15)`.
  public private(set) var state: UInt64

  /// A generator whose first output is `mix(seed + 0x9E37_79B9_7F4A_7C15)`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 { Self.next(&state) }

  /// Advances `state` and returns the next output.
  public static func next(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mix(state)
  }

  /// The SplitMix64 finaliser: a bijective 64-bit hash with good avalanche.
  @inlinable public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
