/// A float buffer that grows to the largest size asked of it and is zeroed whenever it is made:
/// what the planar kernels need of their maps (columns past a map's width and the slack after it
/// hold finite numbers), kept from band to band and detection to detection.
final class ZeroedFloats {
  private var buffer: UnsafeMutablePointer<Float>?
  private var capacity = 0

  init() {}
  deinit { buffer?.deallocate() }

  /// At least `floats` floats, zeroed when newly made (otherwise as the last user left them).
  func reserve(_ floats: Int) -> UnsafeMutablePointer<Float> {
    if floats > capacity || buffer == nil {
      buffer?.deallocate()
      buffer = .allocate(capacity: max(floats, 1))
      buffer!.initialize(repeating: 0, count: max(floats, 1))
      capacity = floats
    }
    return buffer!
  }
}
