import NeuralNet
import Tensor

/// facenet-pytorch's P-Net in floats on planar bands, layer after layer with CKernels' planar
/// kernels (``PlanarConvolution``, with its pool fused in ``PlanarConvolution/runPooled(_:rowStride:planeStride:convolutionHeight:convolutionWidth:into:outputRowStride:outputPlaneStride:)``):
/// conv 3×3 3→10 + PReLU, 2×2 max pool (ceil), conv 3×3 10→16 + PReLU, conv 3×3 16→32 + PReLU,
/// conv 1×1 32→6 (conv1 fused with the pool, so that its full-size output never goes to memory;
/// conv2 and conv3 by Winograd F(2×2, 3×3)). The same numbers as the network's generic layers up
/// to rounding (the order of the sums, Winograd's transforms), in about half their time on the
/// machine measured (README, "The detector's own kernels").
///
/// Bands and every map in between are laid out as ``PlanarLayout`` says (rows padded to 32
/// columns); a band of `rows × width` gives six planes of `((rows − 1)/2 − 4) × ((width −
/// 1)/2 − 4)`, as the generic network does. A band runs a chunk of rows at a time through all
/// the layers (``run(rows:width:scratch:into:plane:fill:)``), so that each map is read while
/// it is still in cache.
struct PNetPlanar: Sendable {
  let instructions: PlanarInstructions
  private let conv1: PlanarConvolution
  private let conv2: PlanarConvolution
  private let conv3: PlanarConvolution
  private let conv4: PlanarConvolution

  /// The layers of the P-Net this runs (``MTCNNNetworks`` checks the card's spec against them).
  static let layers: [LayerSpec] = [
    .conv2d(outputs: 10, kernel: 3), .prelu, .maxPoolCeil(kernel: 2, stride: 2),
    .conv2d(outputs: 16, kernel: 3), .prelu, .conv2d(outputs: 32, kernel: 3), .prelu,
    .conv2d(outputs: 6, kernel: 1),
  ]

  /// From the P-Net's parameters by facenet-pytorch's name (`0.weight`, `0.bias`, `1.weight` the
  /// first PReLU's slopes, …, `7.bias`).
  init(parameter: (String) throws -> [Float], instructions: PlanarInstructions) throws {
    self.instructions = instructions
    func conv(
      _ index: Int, _ inputs: Int, _ outputs: Int, _ kernel: Int, prelu: Bool,
      winograd: Bool = false, pooled: Bool = false
    ) throws -> PlanarConvolution {
      PlanarConvolution(
        weights: try parameter("\(index).weight"), bias: try parameter("\(index).bias"),
        slopes: prelu ? try parameter("\(index + 1).weight") : nil, outputChannels: outputs,
        inputChannels: inputs, kernel: kernel, instructions: instructions, winograd: winograd,
        pooled: pooled)
    }
    // Winograd F(2×2, 3×3) where it is faster (emocl-bench conv-algorithms, one thread, Ice
    // Lake): conv2 on a band 0.21 ms against 0.28 direct (AVX-512; AVX2 0.28 against 0.33),
    // conv3 0.52 against 0.73 (AVX2 0.69 against 0.98); not conv1, whose 3 input channels
    // leave the input transform too few multiply-adds to pay for (0.35 against 0.32).
    // conv1 fused with the pool (conv-algorithms' planar-fused against planar-conv+pool, on a
    // band, 5 runs on a busy 2-core VM: 0.22–0.28 ms against 0.33–0.43 with AVX-512, 0.55–0.63
    // against 0.57–0.63 with AVX2).
    conv1 = try conv(0, 3, 10, 3, prelu: true, pooled: true)
    conv2 = try conv(3, 10, 16, 3, prelu: true, winograd: true)
    conv3 = try conv(5, 16, 32, 3, prelu: true, winograd: true)
    conv4 = try conv(7, 32, 6, 1, prelu: false)
  }

  /// The output size of a band of `rows × width`.
  static func outputSize(rows: Int, width: Int) -> (height: Int, width: Int) {
    ((rows - 1) / 2 - 4, (width - 1) / 2 - 4)
  }

  /// One thread's maps between the layers, grown to the largest band it has run; zeroed when
  /// made, so that the columns past each map's width hold finite numbers.
  typealias Scratch = ZeroedFloats

  /// Final output rows a band computes at a time in ``run(rows:width:scratch:into:plane:fill:)``.
  /// Each layer's rows are read by the next while still in cache, and the maps between the
  /// layers hold a chunk and its overlap only (tens to hundreds of KB) whatever the band's height.
  static let chunkRows = 8

  /// P-Net on a band of `rows × width` pixels into `output`: six planes of
  /// ``outputSize(rows:width:)``, `plane` floats apart, rows packed (2 face logits, 4 box
  /// offsets). The band's input comes from `fill(range, buffer, rowStride, planeStride)`, which
  /// writes the band's rows `range` as three planes (rows `rowStride` floats apart, planes
  /// `planeStride` apart) at `buffer`, a chunk at a time: each band row is filled once, each
  /// layer's row computed once, so a band may be as tall as a whole level.
  ///
  /// A chunk of final rows `[a, a + n)` needs conv3's input rows `[a, a + n + 2)`, conv2's
  /// `[a, a + n + 4)` (pooled), the pool's conv1 rows `[2a, 2a + 2n + 8)` and the band's rows
  /// `[2a, 2a + 2n + 10)`; the rows that overlap the previous chunk's (10 of the band, 4 pooled,
  /// 2 of conv2) move to the top of their buffers rather than being computed again.
  func run(
    rows: Int, width: Int, scratch: Scratch, into output: UnsafeMutablePointer<Float>,
    plane: Int,
    fill: (
      _ rows: Range<Int>, _ buffer: UnsafeMutablePointer<Float>, _ rowStride: Int,
      _ planeStride: Int
    ) -> Void
  ) {
    let (h1, w1) = (rows - 2, width - 2)
    let (h2, w2) = ((h1 + 1) / 2, (w1 + 1) / 2)
    let (w3, w4, h4) = (w2 - 2, w2 - 4, h2 - 4)
    guard h4 > 0, w4 > 0 else { return }
    let chunk = Self.chunkRows
    let s0 = PlanarLayout.rowStride(width: width)
    let (s2, s3, s4) = (
      PlanarLayout.rowStride(width: w2), PlanarLayout.rowStride(width: w3),
      PlanarLayout.rowStride(width: w4)
    )
    // Buffer heights: the band's rows, pooled, conv2's, conv3's and conv4's of one chunk.
    let (r0, r2, r3) = (2 * chunk + 10, chunk + 4, chunk + 2)
    let (p0, p2, p3, p4) = (r0 * s0, r2 * s2, r3 * s3, chunk * s4)
    let starts = Self.carve(scratch, sizes: [3 * p0, 10 * p2, 16 * p3, 32 * p4, 6 * p4])
    let (band, pooled, m3, m4, m5) = (starts[0], starts[1], starts[2], starts[3], starts[4])
    var a = 0
    while a < h4 {
      let n = min(chunk, h4 - a)
      // The first band, pooled and conv2 row this chunk computes (the rest came from the last).
      let (firstRow, firstPooled, firstConv2) = a == 0 ? (0, 0, 0) : (2 * a + 10, a + 4, a + 2)
      if a > 0 {
        Self.slide(band, planes: 3, from: 2 * chunk, rows: 10, rowStride: s0, planeStride: p0)
        Self.slide(pooled, planes: 10, from: chunk, rows: 4, rowStride: s2, planeStride: p2)
        Self.slide(m3, planes: 16, from: chunk, rows: 2, rowStride: s3, planeStride: p3)
      }
      // Buffer row 0 holds band row 2a, pooled row a, conv2 row a.
      fill(firstRow..<min(2 * (a + n) + 10, rows), band + (firstRow - 2 * a) * s0, s0, p0)
      conv1.runPooled(
        band + (2 * firstPooled - 2 * a) * s0, rowStride: s0, planeStride: p0,
        convolutionHeight: min(2 * (a + n + 4), h1) - 2 * firstPooled, convolutionWidth: w1,
        into: pooled + (firstPooled - a) * s2, outputRowStride: s2, outputPlaneStride: p2)
      conv2.run(
        pooled + (firstConv2 - a) * s2, rowStride: s2, planeStride: p2,
        outputHeight: a + n + 2 - firstConv2, outputWidth: w3, into: m3 + (firstConv2 - a) * s3,
        outputRowStride: s3, outputPlaneStride: p3)
      conv3.run(
        m3, rowStride: s3, planeStride: p3, outputHeight: n, outputWidth: w4, into: m4,
        outputRowStride: s4, outputPlaneStride: p4)
      conv4.run(
        m4, rowStride: s4, planeStride: p4, outputHeight: n, outputWidth: w4, into: m5,
        outputRowStride: s4, outputPlaneStride: p4)
      for k in 0..<6 {
        for y in 0..<n {
          (output + k * plane + (a + y) * w4).update(from: m5 + k * p4 + y * s4, count: w4)
        }
      }
      a += n
    }
  }

  /// Maps of `sizes` floats in `scratch`, one after the other, each followed by
  /// ``PlanarLayout/slack`` floats (the kernels read past a map's last plane).
  private static func carve(_ scratch: Scratch, sizes: [Int]) -> [UnsafeMutablePointer<Float>] {
    let slack = PlanarLayout.slack
    let base = scratch.reserve(sizes.reduce(0, +) + sizes.count * slack)
    var starts: [UnsafeMutablePointer<Float>] = []
    var at = 0
    for size in sizes {
      starts.append(base + at)
      at += size + slack
    }
    return starts
  }

  /// Moves `rows` rows from row `from` of each of `planes` planes to its row 0.
  private static func slide(
    _ buffer: UnsafeMutablePointer<Float>, planes: Int, from: Int, rows: Int, rowStride: Int,
    planeStride: Int
  ) {
    for k in 0..<planes {
      let plane = buffer + k * planeStride
      plane.update(from: plane + from * rowStride, count: rows * rowStride)
    }
  }

  /// P-Net's first half (conv1 + PReLU, pool, conv2 + PReLU) on `band`, laid out as for
  /// ``run(band:rows:width:scratch:into:plane:)``: for ``PNetInt8``, which runs the rest in 8
  /// bits. `body` gets the 16 planes of `height × width` (rows `rowStride` floats apart, planes
  /// `height · rowStride`), in `scratch`.
  func withHead<T>(
    band: UnsafeMutablePointer<Float>, rows: Int, width: Int, scratch: Scratch,
    _ body: (_ head: UnsafePointer<Float>, _ height: Int, _ width: Int, _ rowStride: Int) -> T
  ) -> T {
    let maps = Maps(rows: rows, width: width, scratch: scratch)
    head(band, maps)
    return body(maps.m3, maps.h3, maps.w3, maps.s3)
  }

  /// The sizes, row strides and places in the scratch of a band's maps.
  private struct Maps {
    let h1: Int, w1: Int, h2: Int, w2: Int, h3: Int, w3: Int, h4: Int, w4: Int
    let s2: Int, s3: Int, s4: Int
    /// The pooled conv1 (conv1's own output stays in registers), conv2's, conv3's, conv4's.
    let m2: UnsafeMutablePointer<Float>, m3: UnsafeMutablePointer<Float>
    let m4: UnsafeMutablePointer<Float>, m5: UnsafeMutablePointer<Float>
    let inStride: Int
    let rows: Int

    init(rows: Int, width: Int, scratch: Scratch) {
      self.rows = rows
      (h1, w1) = (rows - 2, width - 2)
      (h2, w2) = ((h1 + 1) / 2, (w1 + 1) / 2)
      (h3, w3) = (h2 - 2, w2 - 2)
      (h4, w4) = (h3 - 2, w3 - 2)
      inStride = PlanarLayout.rowStride(width: width)
      (s2, s3, s4) = (
        PlanarLayout.rowStride(width: w2), PlanarLayout.rowStride(width: max(w3, 1)),
        PlanarLayout.rowStride(width: max(w4, 1))
      )
      let pointers = PNetPlanar.carve(
        scratch,
        sizes: [10 * h2 * s2, 16 * max(h3, 0) * s3, 32 * max(h4, 0) * s4, 6 * max(h4, 0) * s4])
      (m2, m3, m4, m5) = (pointers[0], pointers[1], pointers[2], pointers[3])
    }
  }

  /// conv1 + PReLU and pool (fused), conv2 + PReLU of `band` into `maps.m3`.
  private func head(_ band: UnsafeMutablePointer<Float>, _ maps: Maps) {
    let (h2, h3, w3) = (maps.h2, maps.h3, maps.w3)
    let (s2, s3) = (maps.s2, maps.s3)
    conv1.runPooled(
      band, rowStride: maps.inStride, planeStride: maps.rows * maps.inStride,
      convolutionHeight: maps.h1, convolutionWidth: maps.w1, into: maps.m2,
      outputRowStride: s2, outputPlaneStride: h2 * s2)
    conv2.run(
      maps.m2, rowStride: s2, planeStride: h2 * s2, outputHeight: h3, outputWidth: w3,
      into: maps.m3, outputRowStride: s3, outputPlaneStride: h3 * s3)
  }
}
