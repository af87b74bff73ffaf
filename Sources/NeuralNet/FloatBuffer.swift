import Foundation

/// Float memory owned by a layer or workspace: allocated once, 64-byte aligned (one cache line,
/// a whole AVX-512 register), zero-filled, freed with its owner. Hot loops use `pointer`
/// directly, so there is no copy-on-write or bounds check in the inner loops.
///
/// The zeros come from `calloc`, which takes large blocks straight from the kernel's zeroed
/// pages: memory that is never touched (the gradient buffers of a workspace that only runs
/// forward, such as each P-Net instance of ``MTCNNDetector``) costs no page faults.
public final class FloatBuffer: @unchecked Sendable {
  /// The first of ``count`` floats.
  public let pointer: UnsafeMutablePointer<Float>
  /// Number of floats.
  public let count: Int
  /// The block `calloc` returned; ``pointer`` is its first 64-byte boundary.
  private let block: UnsafeMutableRawPointer

  /// `count` zeros.
  public init(count: Int) {
    self.count = count
    guard let block = calloc(max(1, count) * MemoryLayout<Float>.stride + 64, 1) else {
      fatalError("FloatBuffer: out of memory for \(count) floats")
    }
    self.block = block
    let aligned = block + (64 - Int(bitPattern: block) % 64) % 64
    pointer = aligned.bindMemory(to: Float.self, capacity: max(1, count))
  }

  deinit { free(block) }

  /// Sets every float to 0.
  public func zero() { pointer.update(repeating: 0, count: count) }
}
