/// Winograd F(4×4, 3×3) pieces of a 3×3, stride-1 convolution: the output is computed in 4×4
/// tiles, each from a 6×6 input tile, with 36 element-wise products per tile and channel pair
/// instead of 144 multiply-adds (4× fewer; F(2×2, 3×3) of ``Winograd`` saves 2.25×). Meant for
/// inference: the larger transforms round more in float32 and there is no weight gradient
/// here (training keeps ``Winograd``).
///
/// With `V = Bᵀ d B` (6×6 input tile), `U = G w Gᵀ` (6×6 from the 3×3 kernel) and
/// `Y = Aᵀ M A` (4×4 output tile), the channel sum `M_ξ = Σ_c U_ξ[o, c] · V_ξ[c, t]` for each
/// of the 36 positions `ξ` is one GEMM `M_ξ[Cout, T] = U_ξ[Cout, C] · V_ξ[C, T]` over all `T`
/// tiles of a chunk of images, run by the caller between
/// ``transformInput(_:geometry:images:channelStride:imageStride:channels:into:rowStride:plane:)``
/// and ``transformOutput(_:rowStride:totalOutputs:geometry:outputs:images:into:channelStride:imageStride:plane:)``.
///
/// The interpolation points are Lavin and Gray's 0, ±1, ±2 and ∞:
///
///     Bᵀ = [4  0 −5  0 1 0]   G = [ 1/4     0    0 ]   Aᵀ = [1 1  1 1  1 0]
///          [0 −4 −4  1 1 0]       [−1/6 −1/6 −1/6 ]        [0 1 −1 2 −2 0]
///          [0  4 −4 −1 1 0]       [−1/6  1/6 −1/6 ]        [0 1  1 4  4 0]
///          [0 −2 −1  2 1 0]       [1/24 1/12  1/6 ]        [0 1 −1 8 −8 1]
///          [0  2 −1 −2 1 0]       [1/24 −1/12 1/6 ]
///          [0  4  0 −5 0 1]       [   0    0    1 ]
///
/// (±1/2 in place of ±2 was not tried: with these points the input and output transforms
/// have small integer entries, exact in float32, and the measured rounding error, at most
/// 2.8e-6 of the largest output in `Winograd4Tests` and 5.5e-6 on the shipped model's logits
/// of up to 7.3, is far below what changes a prediction.)
///
/// Transformed buffers are `[36][rows][rowStride]`: position `ξ = 6·i + j` of the 6×6 tile,
/// then channel, then tile (image-major, then tile row, then tile column). A row holds the
/// `images · tilesPerImage` tiles plus at least 8 floats of slack for whole-vector stores.
public enum Winograd4 {
  /// Eight tiles' values at six positions of a row or column of their tiles.
  typealias Six = (
    SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
  )
  /// Eight tiles' values at four positions of a row or column of their output tiles.
  typealias Four = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

  /// Whether `g` is a convolution these transforms compute: a 3×3 kernel, stride 1 and padding
  /// of at most 2 on each axis (as for ``Winograd``).
  public static func supports(_ g: ConvGeometry) -> Bool { Winograd.supports(g) }

  /// 4×4 output tiles per image: rows and columns (the last ones may hang over a side that is
  /// not a multiple of 4).
  public static func tiles(_ g: ConvGeometry) -> (rows: Int, columns: Int) {
    ((g.outputHeight + 3) / 4, (g.outputWidth + 3) / 4)
  }

  /// Tiles per image.
  public static func tilesPerImage(_ g: ConvGeometry) -> Int {
    let t = tiles(g)
    return t.rows * t.columns
  }

  /// The smallest row stride of a transformed buffer for `images` images.
  public static func rowStride(_ g: ConvGeometry, images: Int) -> Int {
    images * tilesPerImage(g) + 8
  }

  /// Tile columns rounded up to whole vectors of 8.
  static func vectorColumns(_ g: ConvGeometry) -> Int { (tiles(g).columns + 7) / 8 * 8 }

  /// Floats of the plane scratch the input and output transforms need: the zero-bordered
  /// input plane (`4·rows + 2` by `4·vectorColumns + 2`, plus 32 floats that the last loads
  /// overrun); the output transform stages 128 floats (eight 4×4 tiles) in it.
  public static func planeSize(_ g: ConvGeometry) -> Int {
    (4 * tiles(g).rows + 2) * (4 * vectorColumns(g) + 2) + 32
  }

  /// `Bᵀ d` along one axis of eight tiles: (4d0 − 5d2 + d4, −4d1 − 4d2 + d3 + d4,
  /// 4d1 − 4d2 − d3 + d4, −2d1 − d2 + 2d3 + d4, 2d1 − d2 − 2d3 + d4, 4d1 − 5d3 + d5).
  @inline(__always) static func inputStep(_ d: Six) -> Six {
    let even = d.4 - d.2
    let odd = d.3 - d.1
    return (
      (d.0 - d.2) * 4 + even,
      (d.3 + d.4) - (d.1 + d.2) * 4,
      (d.4 - d.3) + (d.1 - d.2) * 4,
      even + odd * 2,
      even - odd * 2,
      (d.1 - d.3) * 4 + (d.5 - d.3)
    )
  }

  /// `Aᵀ m` along one axis of eight tiles: (m0 + m1 + m2 + m3 + m4, m1 − m2 + 2(m3 − m4),
  /// m1 + m2 + 4(m3 + m4), m1 − m2 + 8(m3 − m4) + m5).
  @inline(__always) static func outputStep(_ m: Six) -> Four {
    let (p, q) = (m.1 + m.2, m.1 - m.2)
    let (r, s) = (m.3 + m.4, m.3 - m.4)
    return (m.0 + p + r, q + s * 2, p + r * 4, q + s * 8 + m.5)
  }

  /// `G g` of one kernel row or column `(a, b, c)`: the six rows of G applied to it, in
  /// lanes 0..<6.
  @inline(__always) static func kernelStep(_ a: Float, _ b: Float, _ c: Float) -> SIMD8<Float> {
    let outer = a + c
    return SIMD8(
      a / 4, -(outer + b) / 6, -(outer - b) / 6, a / 24 + b / 12 + c / 6, a / 24 - b / 12 + c / 6,
      c, 0, 0)
  }

  /// `U = G w Gᵀ` of `outputs × channels` kernels `w` (`[outputs, channels, 3, 3]`, PyTorch
  /// order) into `u` (`[36][outputs][channels]`). Scalar: with frozen weights it runs once.
  public static func transformWeights(
    _ w: UnsafePointer<Float>, outputs: Int, channels: Int, into u: UnsafeMutablePointer<Float>
  ) {
    let count = outputs * channels
    for k in 0..<count {
      let g = w + k * 9
      // G w (6×3) by columns x.
      let c0 = kernelStep(g[0], g[3], g[6])
      let c1 = kernelStep(g[1], g[4], g[7])
      let c2 = kernelStep(g[2], g[5], g[8])
      for i in 0..<6 {
        // Row i of (G w) Gᵀ.
        let row = kernelStep(c0[i], c1[i], c2[i])
        for j in 0..<6 { u[(6 * i + j) * count + k] = row[j] }
      }
    }
  }
}

extension Winograd4 {
  /// `V = Bᵀ d B` of every input tile of channels `channels` of `images` images into `v`
  /// (`[36][g.channels][rowStride]`, rows of the given channels only). Plane `(c, i)` starts at
  /// `input + c·channelStride + i·imageStride`; padding reads as zero. `plane` is scratch of
  /// ``planeSize(_:)`` floats.
  public static func transformInput(
    _ input: UnsafePointer<Float>, geometry g: ConvGeometry, images: Int, channelStride: Int,
    imageStride: Int, channels: Range<Int>, into v: UnsafeMutablePointer<Float>, rowStride: Int,
    plane: UnsafeMutablePointer<Float>
  ) {
    let (tileRows, tileColumns) = tiles(g)
    let perImage = tileRows * tileColumns
    let width = 4 * vectorColumns(g) + 2
    let rows = 4 * tileRows + 2
    // A zero-bordered copy of each plane: every tile then reads without bounds checks. Only
    // the interior is overwritten per plane, so the border stays zero.
    plane.update(repeating: 0, count: rows * width + 32)
    let copyRows = min(g.height, rows - g.paddingY)
    let copyColumns = min(g.width, width - g.paddingX)
    for c in channels {
      for i in 0..<images {
        let source = input + c * channelStride + i * imageStride
        for y in 0..<copyRows {
          (plane + (y + g.paddingY) * width + g.paddingX).update(
            from: source + y * g.width, count: copyColumns)
        }
        transformInputPlane(
          plane, width: width, tiles: (tileRows, tileColumns),
          into: v + c * rowStride + i * perImage, positionStride: g.channels * rowStride)
      }
    }
  }

  /// Every tile of a zero-bordered plane (rows `width` floats apart) into `dst` (tile
  /// `(ty, tx)` at `ty·columns + tx`, position ξ at `ξ·positionStride`), by quads of four
  /// tiles of a row, two quads (of one row or of two) per eight lanes: a row of 11 tiles then
  /// takes 1.5 vectors rather than 2, a row of 3 half a vector rather than one. A quad that
  /// hangs over its row's end writes into the next row's first tiles (stored later, or by
  /// the second quad right after) or the slack.
  @inline(__always) static func transformInputPlane(
    _ plane: UnsafePointer<Float>, width: Int, tiles: (rows: Int, columns: Int),
    into dst: UnsafeMutablePointer<Float>, positionStride: Int
  ) {
    let perRow = (tiles.columns + 3) / 4
    let quads = tiles.rows * perRow
    var q = 0
    while q < quads {
      // The second quad is the first again when there is no other (same values, same place).
      let (ay, ax) = (q / perRow, q % perRow * 4)
      let next = min(q + 1, quads - 1)
      let (by, bx) = (next / perRow, next % perRow * 4)
      transformInputPair(
        UnsafeRawPointer(plane + 4 * ay * width + 4 * ax),
        UnsafeRawPointer(plane + 4 * by * width + 4 * bx), width: width,
        into: (dst + ay * tiles.columns + ax, dst + by * tiles.columns + bx),
        positionStride: positionStride)
      q += 2
    }
  }

  /// Two quads of tiles (top left input at `first` and `second`) in eight lanes.
  @inline(__always) static func transformInputPair(
    _ first: UnsafeRawPointer, _ second: UnsafeRawPointer, width: Int,
    into dst: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>), positionStride: Int
  ) {
    let floatSize = MemoryLayout<Float>.stride
    // Row k of the 8 tiles (tile t of a quad starts at column 4t): columns 4t … 4t+3 by
    // de-interleaving 16 floats of each quad, 4t+4 and 4t+5 from 16 floats four further on.
    @inline(__always) func row(_ k: Int) -> Six {
      @inline(__always) func load(_ offset: Int) -> SIMD32<Float> {
        let at = k * width * floatSize + offset * floatSize
        return SIMD32(
          lowHalf: (first + at).loadUnaligned(as: SIMD16<Float>.self),
          highHalf: (second + at).loadUnaligned(as: SIMD16<Float>.self))
      }
      let (a, b) = (load(0), load(4))
      let (ae, ao) = (a.evenHalf, a.oddHalf)
      return inputStep(
        (
          ae.evenHalf, ao.evenHalf, ae.oddHalf, ao.oddHalf, b.evenHalf.evenHalf,
          b.oddHalf.evenHalf
        ))
    }
    // d B by rows (s_k = row k of d B), then Bᵀ (d B) by columns.
    let s0 = row(0)
    let s1 = row(1)
    let s2 = row(2)
    let s3 = row(3)
    let s4 = row(4)
    let s5 = row(5)
    let (outA, outB) = (UnsafeMutableRawPointer(dst.0), UnsafeMutableRawPointer(dst.1))
    let step = positionStride * floatSize
    @inline(__always) func store(_ p: Int, _ value: SIMD8<Float>) {
      (outA + p * step).storeBytes(of: value.lowHalf, as: SIMD4<Float>.self)
      (outB + p * step).storeBytes(of: value.highHalf, as: SIMD4<Float>.self)
    }
    @inline(__always) func store(_ j: Int, _ column: Six) {
      let t = inputStep(column)
      store(j, t.0)
      store(6 + j, t.1)
      store(12 + j, t.2)
      store(18 + j, t.3)
      store(24 + j, t.4)
      store(30 + j, t.5)
    }
    store(0, (s0.0, s1.0, s2.0, s3.0, s4.0, s5.0))
    store(1, (s0.1, s1.1, s2.1, s3.1, s4.1, s5.1))
    store(2, (s0.2, s1.2, s2.2, s3.2, s4.2, s5.2))
    store(3, (s0.3, s1.3, s2.3, s3.3, s4.3, s5.3))
    store(4, (s0.4, s1.4, s2.4, s3.4, s4.4, s5.4))
    store(5, (s0.5, s1.5, s2.5, s3.5, s4.5, s5.5))
  }

  /// `Y = Aᵀ M A` of every tile of outputs `outputs` of `images` images from the products `m`
  /// (`[36][totalOutputs][rowStride]`), written over the output planes
  /// (`y + o·channelStride + i·imageStride`, each `OH × OW`). Eight consecutive tiles at a
  /// time, whatever their rows and images (small planes have few tiles per row, and lanes
  /// past a row's end would be wasted), each then stored straight to its place: four rows of
  /// four floats, clipped at the edges. `plane` is scratch of ``planeSize(_:)`` floats.
  public static func transformOutput(
    _ m: UnsafePointer<Float>, rowStride: Int, totalOutputs: Int, geometry g: ConvGeometry,
    outputs: Range<Int>, images: Int, into y: UnsafeMutablePointer<Float>, channelStride: Int,
    imageStride: Int, plane: UnsafeMutablePointer<Float>
  ) {
    let (tileRows, tileColumns) = tiles(g)
    let total = images * tileRows * tileColumns
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    let step = totalOutputs * rowStride
    for o in outputs {
      // The next tile to store: its tile row and column, and where its top left goes.
      var (ty, tx) = (0, 0)
      var imageStart = y + o * channelStride
      var target = imageStart
      var t = 0
      while t < total {
        // plane[32a + 4k ..< 32a + 4k + 4]: row a of tile k.
        outputTiles(m + o * rowStride + t, positionStride: step, into: plane)
        for k in 0..<min(8, total - t) {
          storeTile(plane + 4 * k, at: target, width: ow, rows: oh - 4 * ty, columns: ow - 4 * tx)
          tx += 1
          target += 4
          if tx == tileColumns {
            (tx, ty) = (0, ty + 1)
            if ty == tileRows {
              ty = 0
              imageStart += imageStride
            }
            target = imageStart + 4 * ty * ow
          }
        }
        t += 8
      }
    }
  }

  /// `Y = Aᵀ M A` of the eight tiles at `src` (position ξ at `ξ·positionStride` floats) into
  /// `rows`: row `a` of tile `k` at `32a + 4k`.
  @inline(__always) static func outputTiles(
    _ src: UnsafePointer<Float>, positionStride: Int, into rows: UnsafeMutablePointer<Float>
  ) {
    let first = UnsafeRawPointer(src)
    let step = positionStride * MemoryLayout<Float>.stride
    @inline(__always) func load(_ p: Int) -> SIMD8<Float> {
      (first + p * step).loadUnaligned(as: SIMD8<Float>.self)
    }
    // M A by rows (r_i = row i of M A).
    @inline(__always) func row(_ i: Int) -> Four {
      outputStep(
        (
          load(6 * i), load(6 * i + 1), load(6 * i + 2), load(6 * i + 3), load(6 * i + 4),
          load(6 * i + 5)
        ))
    }
    let r0 = row(0)
    let r1 = row(1)
    let r2 = row(2)
    let r3 = row(3)
    let r4 = row(4)
    let r5 = row(5)
    // Column x of Aᵀ (M A): output rows 0…3 at column x of the tiles.
    let y0 = outputStep((r0.0, r1.0, r2.0, r3.0, r4.0, r5.0))
    let y1 = outputStep((r0.1, r1.1, r2.1, r3.1, r4.1, r5.1))
    let y2 = outputStep((r0.2, r1.2, r2.2, r3.2, r4.2, r5.2))
    let y3 = outputStep((r0.3, r1.3, r2.3, r3.3, r4.3, r5.3))
    let out = UnsafeMutableRawPointer(rows)
    @inline(__always) func store(
      _ a: Int, _ c0: SIMD8<Float>, _ c1: SIMD8<Float>, _ c2: SIMD8<Float>, _ c3: SIMD8<Float>
    ) {
      // Lane 8x + k of (c0, c1, c2, c3) to lane 4k + x: a rotation of the 5-bit lane index
      // by 3 to the right, three de-interleaves (each rotates it by 1).
      var v = SIMD32(
        lowHalf: SIMD16(lowHalf: c0, highHalf: c1), highHalf: SIMD16(lowHalf: c2, highHalf: c3))
      v = SIMD32(lowHalf: v.evenHalf, highHalf: v.oddHalf)
      v = SIMD32(lowHalf: v.evenHalf, highHalf: v.oddHalf)
      v = SIMD32(lowHalf: v.evenHalf, highHalf: v.oddHalf)
      (out + 128 * a).storeBytes(of: v, as: SIMD32<Float>.self)
    }
    store(0, y0.0, y1.0, y2.0, y3.0)
    store(1, y0.1, y1.1, y2.1, y3.1)
    store(2, y0.2, y1.2, y2.2, y3.2)
    store(3, y0.3, y1.3, y2.3, y3.3)
  }

  /// One 4×4 tile (`tile`, rows 32 floats apart) to `target` (rows `width` floats apart),
  /// clipped to `rows` rows and `columns` columns when fewer than 4 remain.
  @inline(__always) static func storeTile(
    _ tile: UnsafePointer<Float>, at target: UnsafeMutablePointer<Float>, width: Int, rows: Int,
    columns: Int
  ) {
    if rows >= 4, columns >= 4 {
      for a in 0..<4 {
        UnsafeMutableRawPointer(target + a * width).storeBytes(
          of: UnsafeRawPointer(tile + 32 * a).loadUnaligned(as: SIMD4<Float>.self),
          as: SIMD4<Float>.self)
      }
      return
    }
    for a in 0..<min(4, rows) {
      for b in 0..<min(4, columns) { target[a * width + b] = tile[32 * a + b] }
    }
  }
}
