/// One P-Net worker's buffers, kept by a buffer set (``MTCNNNetworks``) from detection to
/// detection: its band of the pyramid level (`[3][rows][rowStride]` floats; the planar kernels
/// read its slack), the band's output planes (each of the six holds under a quarter of the
/// band's pixels, which are a third of its floats: half the band's size will do), and the
/// scratch of the planar and the 8-bit P-Net. Made afresh for each detection, their megabytes
/// cost page faults and zeroing every time.
final class PNetWorkerBuffers {
  let band = ZeroedFloats()
  let outputs = ZeroedFloats()
  let planar = PNetPlanar.Scratch()
  let int8 = PNetInt8.Scratch()
}
