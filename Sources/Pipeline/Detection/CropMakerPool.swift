import Foundation

/// The buffers of the workers that make R- and O-Net crops and judge them chunk by chunk
/// (``MTCNNNetworks/refine(_:side:from:workers:)``): one set per worker and crop side, made when
/// first needed and kept from detection to detection. Not thread-safe: a network set lends it
/// to one detection at a time, and each worker of that detection touches only its own set.
final class CropMakerPool {
  /// One worker's buffers.
  final class Worker {
    /// The network's own buffers.
    let network: CropNetFloat.Scratch
    /// A chunk's crops, `[chunk, 3, side, side]`.
    let crops = ZeroedFloats()
    /// A turned crop's enclosing square, and a partial square's part (grown when too small).
    var wide: [Float] = []
    var part: [Float] = []

    init(for network: CropNetFloat) { self.network = CropNetFloat.Scratch(for: network) }
  }

  private var workers: [Int: [Worker]] = [:]

  init() {}

  /// At least `count` workers' buffers for `network` (kept by its crop side).
  func workers(_ count: Int, for network: CropNetFloat) -> [Worker] {
    var made = workers[network.side, default: []]
    while made.count < count { made.append(Worker(for: network)) }
    workers[network.side] = made
    return Array(made.prefix(count))
  }
}
