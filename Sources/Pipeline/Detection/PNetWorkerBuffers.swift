/// One P-Net worker's buffers, kept by a buffer set (``MTCNNNetworks``) from detection to
/// detection: its band of the pyramid level, the band's six output planes, and the scratch of the
/// planar and the 8-bit P-Net. Made afresh for each detection, their megabytes cost page faults
/// and zeroing every time.
final class PNetWorkerBuffers {
  /// `[3][rows][rowStride]` floats, zeroed when made (the planar kernels read its slack).
  private(set) var band: UnsafeMutablePointer<Float>
  /// The band's output planes: half as many floats as the band (each of the six planes holds
  /// under a quarter of the band's pixels, which are a third of the band's floats).
  private(set) var outputs: UnsafeMutablePointer<Float>
  private var capacity = 0
  let planar = PNetPlanar.Scratch()
  let int8 = PNetInt8.Scratch()

  init() {
    band = .allocate(capacity: 1)
    outputs = .allocate(capacity: 1)
  }

  deinit {
    band.deallocate()
    outputs.deallocate()
  }

  /// Grows ``band`` to at least `floats` floats and ``outputs`` to half that.
  func reserve(_ floats: Int) {
    guard floats > capacity else { return }
    band.deallocate()
    outputs.deallocate()
    band = .allocate(capacity: floats)
    band.initialize(repeating: 0, count: floats)
    outputs = .allocate(capacity: floats / 2 + 1)
    capacity = floats
  }
}
