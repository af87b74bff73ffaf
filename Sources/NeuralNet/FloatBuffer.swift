/// Float memory owned by a layer or workspace: allocated once, 64-byte aligned (one cache line,
/// a whole AVX-512 register), zero-filled, freed with its owner. Hot loops use `pointer`
/// directly, so there is no copy-on-write or bounds check in the inner loops.
public final class FloatBuffer: @unchecked Sendable {
  /// The first of ``count`` floats.
  public let pointer: UnsafeMutablePointer<Float>
  /// Number of floats.
  public let count: Int

  /// `count` zeros.
  public init(count: Int) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
    pointer.initialize(repeating: 0, count: max(1, count))
  }

  deinit { UnsafeMutableRawPointer(pointer).deallocate() }

  /// Sets every float to 0.
  public func zero() { pointer.update(repeating: 0, count: count) }
}
