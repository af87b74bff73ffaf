/// Winograd F(2×2, 3×3) pieces of a 3×3, stride-1 convolution: the output is computed in 2×2
/// tiles, each from a 4×4 input tile, with 16 element-wise products per tile and channel pair
/// instead of 36 multiply-adds (2.25× fewer for even output sides).
///
/// With `V = Bᵀ d B` (input tile), `U = G w Gᵀ` (kernel) and `Y = Aᵀ M A` (output tile), the
/// channel sum `M_ξ = Σ_c U_ξ[o, c] · V_ξ[c, t]` for each of the 16 positions `ξ` of a tile is
/// one GEMM `M_ξ[Cout, T] = U_ξ[Cout, C] · V_ξ[C, T]` over all `T` tiles of a chunk of images.
/// The caller runs those 16 GEMMs (through ``sgemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``)
/// between ``transformInput(_:geometry:images:channelStride:imageStride:channels:into:rowStride:plane:)``
/// and ``transformOutput(_:rowStride:totalOutputs:geometry:outputs:images:into:channelStride:imageStride:plane:)``.
///
/// Transformed buffers are `[16][rows][rowStride]`: position `ξ = 4·i + j` of the 4×4 tile,
/// then channel, then tile (image-major, then tile row, then tile column). A row holds the
/// `images · tilesPerImage` tiles plus at least 8 floats of slack for whole-vector stores.
public enum Winograd {
  /// Whether `g` is a convolution these transforms compute: a 3×3 kernel, stride 1 and padding
  /// of at most 2 on each axis.
  public static func supports(_ g: ConvGeometry) -> Bool {
    g.isValid && g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideY == 1 && g.strideX == 1
      && g.paddingY <= 2 && g.paddingX <= 2
  }

  /// 2×2 output tiles per image: rows and columns (the last ones may hang over an odd side).
  public static func tiles(_ g: ConvGeometry) -> (rows: Int, columns: Int) {
    ((g.outputHeight + 1) / 2, (g.outputWidth + 1) / 2)
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

  /// Floats of the plane scratch the input and output transforms need.
  public static func planeSize(_ g: ConvGeometry) -> Int {
    let t = tiles(g)
    let width = 2 * vectorColumns(g) + 2
    return max((2 * t.rows + 2) * width, 2 * t.rows * (2 * vectorColumns(g) + 16)) + 16
  }

  /// `U = G w Gᵀ` of `outputs × channels` kernels `w` (`[outputs, channels, 3, 3]`, PyTorch
  /// order) into `u` (`[16][outputs][channels]`).
  public static func transformWeights(
    _ w: UnsafePointer<Float>, outputs: Int, channels: Int, into u: UnsafeMutablePointer<Float>
  ) {
    let count = outputs * channels
    // Eight kernels at a time, one per lane; the rest one by one.
    var first = 0
    while first + 8 <= count {
      let g = w + first * 9
      @inline(__always) func gather(_ q: Int) -> SIMD8<Float> {
        SIMD8(g[q], g[9 + q], g[18 + q], g[27 + q], g[36 + q], g[45 + q], g[54 + q], g[63 + q])
      }
      // Row i of G w, as (column 0, 1, 2).
      let (a0, b0, c0) = (gather(0), gather(3), gather(6))
      let (a1, b1, c1) = (gather(1), gather(4), gather(7))
      let (a2, b2, c2) = (gather(2), gather(5), gather(8))
      let rows = (
        (a0, a1, a2),
        ((a0 + b0 + c0) * 0.5, (a1 + b1 + c1) * 0.5, (a2 + b2 + c2) * 0.5),
        ((a0 - b0 + c0) * 0.5, (a1 - b1 + c1) * 0.5, (a2 - b2 + c2) * 0.5),
        (c0, c1, c2)
      )
      @inline(__always) func store(
        _ i: Int, _ r: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
      ) {
        // (G w) Gᵀ along the row: (r0, (r0+r1+r2)/2, (r0−r1+r2)/2, r2).
        let values = (r.0, (r.0 + r.1 + r.2) * 0.5, (r.0 - r.1 + r.2) * 0.5, r.2)
        let base = UnsafeMutableRawPointer(u + 4 * i * count + first)
        let step = count * MemoryLayout<Float>.stride
        base.storeBytes(of: values.0, as: SIMD8<Float>.self)
        (base + step).storeBytes(of: values.1, as: SIMD8<Float>.self)
        (base + 2 * step).storeBytes(of: values.2, as: SIMD8<Float>.self)
        (base + 3 * step).storeBytes(of: values.3, as: SIMD8<Float>.self)
      }
      store(0, rows.0)
      store(1, rows.1)
      store(2, rows.2)
      store(3, rows.3)
      first += 8
    }
    for k in first..<count {
      let g = w + k * 9
      // G w (4×3), by columns x: (a, (a+b+c)/2, (a−b+c)/2, c) of the kernel column (a, b, c).
      @inline(__always) func column(_ x: Int) -> SIMD4<Float> {
        let (a, b, c) = (g[x], g[3 + x], g[6 + x])
        return SIMD4(a, (a + b + c) * 0.5, (a - b + c) * 0.5, c)
      }
      let (t0, t1, t2) = (column(0), column(1), column(2))
      // (G w) Gᵀ, by columns: (t0, (t0+t1+t2)/2, (t0−t1+t2)/2, t2).
      let c1 = (t0 + t1 + t2) * 0.5
      let c2 = (t0 - t1 + t2) * 0.5
      for i in 0..<4 {
        u[(4 * i + 0) * count + k] = t0[i]
        u[(4 * i + 1) * count + k] = c1[i]
        u[(4 * i + 2) * count + k] = c2[i]
        u[(4 * i + 3) * count + k] = t2[i]
      }
    }
  }

  /// `V = Bᵀ d B` of every input tile of channels `channels` of `images` images into `v`
  /// (`[16][g.channels][rowStride]`, rows of the given channels only). Plane `(c, i)` starts at
  /// `input + c·channelStride + i·imageStride`; padding reads as zero. `plane` is scratch of
  /// ``planeSize(_:)`` floats.
  public static func transformInput(
    _ input: UnsafePointer<Float>, geometry g: ConvGeometry, images: Int, channelStride: Int,
    imageStride: Int, channels: Range<Int>, into v: UnsafeMutablePointer<Float>, rowStride: Int,
    plane: UnsafeMutablePointer<Float>
  ) {
    let (tileRows, tileColumns) = tiles(g)
    let perImage = tileRows * tileColumns
    let vectors = vectorColumns(g) / 8
    let width = 2 * vectorColumns(g) + 2
    let rows = 2 * tileRows + 2
    // A zero-bordered copy of each plane: every tile then reads without bounds checks.
    plane.update(repeating: 0, count: rows * width + 16)
    let copyRows = min(g.height, rows - g.paddingY)
    let copyColumns = min(g.width, width - g.paddingX)
    let positionStride = g.channels * rowStride
    for c in channels {
      for i in 0..<images {
        let source = input + c * channelStride + i * imageStride
        for y in 0..<copyRows {
          (plane + (y + g.paddingY) * width + g.paddingX).update(
            from: source + y * g.width, count: copyColumns)
        }
        let base = v + c * rowStride + i * perImage
        for ty in 0..<tileRows {
          let r0 = UnsafeRawPointer(plane + 2 * ty * width)
          let stride = width * MemoryLayout<Float>.stride
          for vx in 0..<vectors {
            let offset = 16 * vx * MemoryLayout<Float>.stride
            // Row k of the 8 tiles: columns 2t, 2t+1 (even/odd of x..x+15) and 2t+2, 2t+3.
            @inline(__always) func row(_ k: Int) -> (
              SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
            ) {
              let a = (r0 + k * stride + offset).loadUnaligned(as: SIMD16<Float>.self)
              let b = (r0 + k * stride + offset + 8).loadUnaligned(as: SIMD16<Float>.self)
              let (d0, d1, d2, d3) = (a.evenHalf, a.oddHalf, b.evenHalf, b.oddHalf)
              // d B: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).
              return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
            }
            let s0 = row(0)
            let s1 = row(1)
            let s2 = row(2)
            let s3 = row(3)
            let dst = UnsafeMutableRawPointer(base + ty * tileColumns + 8 * vx)
            let step = positionStride * MemoryLayout<Float>.stride
            @inline(__always) func store(_ p: Int, _ value: SIMD8<Float>) {
              (dst + p * step).storeBytes(of: value, as: SIMD8<Float>.self)
            }
            // Bᵀ (d B): rows (s0 − s2, s1 + s2, s2 − s1, s1 − s3).
            store(0, s0.0 - s2.0)
            store(1, s0.1 - s2.1)
            store(2, s0.2 - s2.2)
            store(3, s0.3 - s2.3)
            store(4, s1.0 + s2.0)
            store(5, s1.1 + s2.1)
            store(6, s1.2 + s2.2)
            store(7, s1.3 + s2.3)
            store(8, s2.0 - s1.0)
            store(9, s2.1 - s1.1)
            store(10, s2.2 - s1.2)
            store(11, s2.3 - s1.3)
            store(12, s1.0 - s3.0)
            store(13, s1.1 - s3.1)
            store(14, s1.2 - s3.2)
            store(15, s1.3 - s3.3)
          }
        }
      }
    }
  }

  /// `Y = Aᵀ M A` of every tile of outputs `outputs` of `images` images from the products `m`
  /// (`[16][totalOutputs][rowStride]`), written over the output planes
  /// (`y + o·channelStride + i·imageStride`, each `OH × OW`).
  /// `plane` is scratch of ``planeSize(_:)`` floats.
  public static func transformOutput(
    _ m: UnsafePointer<Float>, rowStride: Int, totalOutputs: Int, geometry g: ConvGeometry,
    outputs: Range<Int>, images: Int, into y: UnsafeMutablePointer<Float>, channelStride: Int,
    imageStride: Int, plane: UnsafeMutablePointer<Float>
  ) {
    let (tileRows, tileColumns) = tiles(g)
    let perImage = tileRows * tileColumns
    let vectors = vectorColumns(g) / 8
    let width = 2 * vectorColumns(g)
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    let positionStride = totalOutputs * rowStride
    for o in outputs {
      for i in 0..<images {
        let base = UnsafeRawPointer(m + o * rowStride + i * perImage)
        let step = positionStride * MemoryLayout<Float>.stride
        for ty in 0..<tileRows {
          let top = plane + 2 * ty * width
          let bottom = top + width
          for vx in 0..<vectors {
            let src = base + (ty * tileColumns + 8 * vx) * MemoryLayout<Float>.stride
            @inline(__always) func load(_ p: Int) -> SIMD8<Float> {
              (src + p * step).loadUnaligned(as: SIMD8<Float>.self)
            }
            // M A per row: (m0 + m1 + m2, m1 − m2 − m3).
            @inline(__always) func row(_ k: Int) -> (SIMD8<Float>, SIMD8<Float>) {
              let (a, b, c, d) = (load(4 * k), load(4 * k + 1), load(4 * k + 2), load(4 * k + 3))
              return (a + b + c, b - c - d)
            }
            let r0 = row(0)
            let r1 = row(1)
            let r2 = row(2)
            let r3 = row(3)
            // Aᵀ (M A): rows (r0 + r1 + r2, r1 − r2 − r3).
            let y00 = r0.0 + r1.0 + r2.0
            let y01 = r0.1 + r1.1 + r2.1
            let y10 = r1.0 - r2.0 - r3.0
            let y11 = r1.1 - r2.1 - r3.1
            let t = top + 16 * vx
            let b = bottom + 16 * vx
            for k in 0..<8 {
              t[2 * k] = y00[k]
              t[2 * k + 1] = y01[k]
              b[2 * k] = y10[k]
              b[2 * k + 1] = y11[k]
            }
          }
        }
        let target = y + o * channelStride + i * imageStride
        for row in 0..<oh {
          (target + row * ow).update(from: plane + row * width, count: ow)
        }
      }
    }
  }
}

extension Winograd {
  /// The adjoint of the output transform for the weight gradient: `dM = A dY Aᵀ` of every 2×2
  /// tile of the output gradient (`dy + o·channelStride + i·imageStride`, `OH × OW` planes;
  /// positions past an odd side read as zero) of outputs `outputs` into `dm`
  /// (`[16][totalOutputs][rowStride]`). `plane` is scratch of ``planeSize(_:)`` floats.
  ///
  /// Then `dU_ξ[o, c] = Σ_t dM_ξ[o, t] · V_ξ[c, t]` (16 GEMMs against the transformed input)
  /// and ``accumulateWeightGradient(_:outputs:channels:into:)`` give the kernel gradient.
  public static func transformOutputGradient(
    _ dy: UnsafePointer<Float>, geometry g: ConvGeometry, outputs: Range<Int>, totalOutputs: Int,
    images: Int, channelStride: Int, imageStride: Int, into dm: UnsafeMutablePointer<Float>,
    rowStride: Int, plane: UnsafeMutablePointer<Float>
  ) {
    let (tileRows, tileColumns) = tiles(g)
    let perImage = tileRows * tileColumns
    let vectors = vectorColumns(g) / 8
    let width = 2 * vectorColumns(g) + 16
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    // A zero-bordered copy of each plane (even sides, whole vectors).
    plane.update(repeating: 0, count: 2 * tileRows * width)
    let step = totalOutputs * rowStride * MemoryLayout<Float>.stride
    for o in outputs {
      for i in 0..<images {
        let source = dy + o * channelStride + i * imageStride
        for y in 0..<oh { (plane + y * width).update(from: source + y * ow, count: ow) }
        let base = dm + o * rowStride + i * perImage
        for ty in 0..<tileRows {
          let top = UnsafeRawPointer(plane + 2 * ty * width)
          let bottom = UnsafeRawPointer(plane + (2 * ty + 1) * width)
          for vx in 0..<vectors {
            let offset = 16 * vx * MemoryLayout<Float>.stride
            let a = top.advanced(by: offset).loadUnaligned(as: SIMD16<Float>.self)
            let b = bottom.advanced(by: offset).loadUnaligned(as: SIMD16<Float>.self)
            // dY A per row: (y0, y0 + y1, y0 − y1, −y1).
            let (p0, p1) = (a.evenHalf, a.oddHalf)
            let (q0, q1) = (b.evenHalf, b.oddHalf)
            let top4 = (p0, p0 + p1, p0 - p1, -p1)
            let bottom4 = (q0, q0 + q1, q0 - q1, -q1)
            let dst = UnsafeMutableRawPointer(base + ty * tileColumns + 8 * vx)
            @inline(__always) func store(_ p: Int, _ value: SIMD8<Float>) {
              (dst + p * step).storeBytes(of: value, as: SIMD8<Float>.self)
            }
            // A (dY A): rows (t, t + b, t − b, −b).
            store(0, top4.0)
            store(1, top4.1)
            store(2, top4.2)
            store(3, top4.3)
            store(4, top4.0 + bottom4.0)
            store(5, top4.1 + bottom4.1)
            store(6, top4.2 + bottom4.2)
            store(7, top4.3 + bottom4.3)
            store(8, top4.0 - bottom4.0)
            store(9, top4.1 - bottom4.1)
            store(10, top4.2 - bottom4.2)
            store(11, top4.3 - bottom4.3)
            store(12, -bottom4.0)
            store(13, -bottom4.1)
            store(14, -bottom4.2)
            store(15, -bottom4.3)
          }
        }
      }
    }
  }

  /// `dw[o, c] += Gᵀ dU[o, c] G` for the transformed kernel gradients `du`
  /// (`[16][outputs][channels]`) into `dw` (`[outputs, channels, 3, 3]`, PyTorch order): the
  /// adjoint of ``transformWeights(_:outputs:channels:into:)``.
  public static func accumulateWeightGradient(
    _ du: UnsafePointer<Float>, outputs: Int, channels: Int, into dw: UnsafeMutablePointer<Float>
  ) {
    let count = outputs * channels
    for k in 0..<count {
      // Gᵀ u per column: (u0 + (u1 + u2)/2, (u1 − u2)/2, (u1 + u2)/2 + u3).
      @inline(__always) func row(_ j: Int) -> SIMD4<Float> {
        SIMD4(
          du[j * count + k], du[(4 + j) * count + k], du[(8 + j) * count + k],
          du[(12 + j) * count + k])
      }
      // u_j = column j of dU (a vector over rows i); dU G by columns.
      let (u0, u1, u2, u3) = (row(0), row(1), row(2), row(3))
      let c0 = u0 + (u1 + u2) * 0.5
      let c1 = (u1 - u2) * 0.5
      let c2 = (u1 + u2) * 0.5 + u3
      // c_x[i] = (dU G)[i, x]; then Gᵀ over i.
      let w = dw + k * 9
      @inline(__always) func add(_ x: Int, _ c: SIMD4<Float>) {
        w[x] += c[0] + (c[1] + c[2]) * 0.5
        w[3 + x] += (c[1] - c[2]) * 0.5
        w[6 + x] += (c[1] + c[2]) * 0.5 + c[3]
      }
      add(0, c0)
      add(1, c1)
      add(2, c2)
    }
  }
}
