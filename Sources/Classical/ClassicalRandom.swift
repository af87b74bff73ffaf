import Foundation
import Tensor

/// A small seeded generator (Tensor's SplitMix64 stream) so randomised algorithms are
/// reproducible, with the Gaussian samples the PCA sketch draws.
struct ClassicalRandom: RandomNumberGenerator, Sendable {
  private var stream: SplitMix64

  init(seed: UInt64) { stream = SplitMix64(seed: seed) }

  mutating func next() -> UInt64 { stream.next() }

  /// A standard normal sample (Box–Muller).
  mutating func gaussian() -> Float {
    let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
    let u2 = Double.random(in: 0..<1, using: &self)
    return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
  }
}
