import Tensor
import Testing

/// `AreaResamplingKernel.summedAreaTable` against sums taken cell by cell, on one thread and on
/// bands of columns built by several.
@Suite struct SummedAreaTableTests {
  @Test(arguments: [1, 3], [1, 2, 3])
  func cellsAreTheSumsAboveAndLeft(channels: Int, workers: Int) {
    // Large enough for bands (at least 2^18 pixels), with a width no band count divides.
    for (width, height) in [(613, 431), (5, 3), (1, 1)] {
      var state: UInt64 = 2024
      let pixels = (0..<(width * height * channels)).map { _ -> UInt8 in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
      }
      let stride = 3 * (width + 1)
      var table = [UInt32](repeating: 0, count: (height + 1) * stride)
      pixels.withUnsafeBufferPointer { p in
        table.withUnsafeMutableBufferPointer { t in
          AreaResamplingKernel.summedAreaTable(
            pixels: p.baseAddress!, width: width, height: height, channels: channels,
            into: t.baseAddress!, workers: workers)
        }
      }
      // The oracle: each row's running sums plus the cell above, computed independently.
      var expected = [UInt32](repeating: 0, count: (height + 1) * stride)
      for y in 0..<height {
        var running = [UInt32](repeating: 0, count: 3)
        for x in 0..<width {
          for c in 0..<3 {
            running[c] += UInt32(pixels[(y * width + x) * channels + (channels == 3 ? c : 0)])
            let cell = (y + 1) * stride + 3 * (x + 1) + c
            expected[cell] = expected[cell - stride] + running[c]
          }
        }
      }
      // The first differing cell, not the tables: a failure's diff of two 800 000-value arrays
      // takes Swift Testing minutes to describe.
      let wrong = table.indices.first { table[$0] != expected[$0] }
      #expect(wrong == nil, "\(width)x\(height)")
    }
  }
}
