/// A direct 2-D convolution at stride 1 without padding (the caller pads):
/// `y[o, oy, ox] = Σ_{c, ky, kx} w[o, c, ky, kx] · x[c, oy + ky, ox + kx]`, weights in PyTorch
/// order `[outputs, C, kh, kw]`.
///
/// For convolutions with few channels (MTCNN's P-Net: 3→10→16→32) this beats im2col + GEMM,
/// whose GEMMs of 10 or 16 rows run far below peak, and Winograd, whose transforms cost more
/// than the multiply-adds they save. The work is vectorised along output x: a block of 4
/// output channels × 16 columns keeps its 8 accumulators (`SIMD8`, one AVX register each) in
/// registers while it loops over the input channels and kernel taps; each tap is 2 unaligned
/// loads of the input row and 4 broadcast weights feeding 8 fused multiply-adds, so the loop
/// is bound by the FMAs rather than the loads. The block then moves right along the row, then
/// to the next 4 channels (whose input rows are still in L1), then to the next row. Rows of
/// 8 to 15 columns use 8-column blocks, narrower rows a scalar loop; a row's last block
/// overlaps the one before it rather than reading past the row.
public enum DirectConvolutionKernel {
  /// One image's planes: `channels` planes `channelStride` floats apart, rows `rowStride`
  /// floats apart.
  public struct Planes {
    public var base: UnsafePointer<Float>
    public var channels: Int
    public var channelStride: Int
    public var rowStride: Int

    public init(base: UnsafePointer<Float>, channels: Int, channelStride: Int, rowStride: Int) {
      self.base = base
      self.channels = channels
      self.channelStride = channelStride
      self.rowStride = rowStride
    }
  }

  /// Output rows `rows` (each `outputWidth` columns, output plane `o` at
  /// `y + o · outputChannelStride`, rows `outputWidth` apart) of the output channels
  /// `outputs`, from the input `x` and the `kernelHeight × kernelWidth` weights `w`
  /// `[allOutputs, x.channels, kh, kw]`. The input must hold rows `rows.lowerBound ..<
  /// rows.upperBound + kernelHeight − 1` of `outputWidth + kernelWidth − 1` columns.
  public static func forward(
    _ x: Planes, kernelHeight: Int, kernelWidth: Int, weight w: UnsafePointer<Float>,
    outputs: Range<Int>, rows: Range<Int>, outputWidth: Int,
    into y: UnsafeMutablePointer<Float>, outputChannelStride: Int
  ) {
    guard !outputs.isEmpty, !rows.isEmpty, outputWidth > 0 else { return }
    let weightStride = x.channels * kernelHeight * kernelWidth
    // Block starts along a row; the last block ends at the row's end.
    let step = outputWidth >= 16 ? 16 : 8
    var starts = Array(stride(from: 0, through: outputWidth - step, by: step))
    if outputWidth >= 8, outputWidth % step != 0 { starts.append(outputWidth - step) }
    let last = outputs.upperBound - 1
    for oy in rows {
      let input = x.base + oy * x.rowStride
      for o in stride(from: outputs.lowerBound, to: outputs.upperBound, by: 4) {
        // A block past the last channel repeats it: same weights, same values, same place.
        let os = (o, min(o + 1, last), min(o + 2, last), min(o + 3, last))
        let ws = (
          w + os.0 * weightStride, w + os.1 * weightStride, w + os.2 * weightStride,
          w + os.3 * weightStride
        )
        let row = oy * outputWidth
        let ys = (
          y + os.0 * outputChannelStride + row, y + os.1 * outputChannelStride + row,
          y + os.2 * outputChannelStride + row, y + os.3 * outputChannelStride + row
        )
        let block = Block(
          x: Planes(
            base: input, channels: x.channels, channelStride: x.channelStride,
            rowStride: x.rowStride), kernelHeight: kernelHeight, kernelWidth: kernelWidth,
          w: ws, y: ys)
        if outputWidth < 8 {
          for ox in 0..<outputWidth { block.scalar(at: ox) }
        } else if step == 16 {
          for ox in starts { block.wide(at: ox) }
        } else {
          for ox in starts { block.narrow(at: ox) }
        }
      }
    }
  }
}

/// 4 output channels' weights and output rows at one output row; the input from that row on.
private struct Block {
  let x: DirectConvolutionKernel.Planes
  let kernelHeight: Int
  let kernelWidth: Int
  let w: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)
  let y:
    (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>
    )

  /// 16 columns from `ox`; 3×3 kernels get the taps unrolled.
  func wide(at ox: Int) {
    if kernelHeight == 3 && kernelWidth == 3 {
      wide(at: ox, kh: 3, kw: 3)
    } else {
      wide(at: ox, kh: kernelHeight, kw: kernelWidth)
    }
  }

  @inline(__always)
  private func wide(at ox: Int, kh: Int, kw: Int) {
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var a2 = SIMD8<Float>()
    var a3 = SIMD8<Float>()
    var b0 = SIMD8<Float>()
    var b1 = SIMD8<Float>()
    var b2 = SIMD8<Float>()
    var b3 = SIMD8<Float>()
    var t = 0
    var plane = x.base + ox
    for _ in 0..<x.channels {
      var row = plane
      for _ in 0..<kh {
        for kx in 0..<kw {
          let u = load(row + kx)
          let v = load(row + kx + 8)
          var s = SIMD8<Float>(repeating: w.0[t])
          a0.addProduct(u, s)
          b0.addProduct(v, s)
          s = SIMD8<Float>(repeating: w.1[t])
          a1.addProduct(u, s)
          b1.addProduct(v, s)
          s = SIMD8<Float>(repeating: w.2[t])
          a2.addProduct(u, s)
          b2.addProduct(v, s)
          s = SIMD8<Float>(repeating: w.3[t])
          a3.addProduct(u, s)
          b3.addProduct(v, s)
          t += 1
        }
        row += x.rowStride
      }
      plane += x.channelStride
    }
    store(a0, y.0 + ox)
    store(b0, y.0 + ox + 8)
    store(a1, y.1 + ox)
    store(b1, y.1 + ox + 8)
    store(a2, y.2 + ox)
    store(b2, y.2 + ox + 8)
    store(a3, y.3 + ox)
    store(b3, y.3 + ox + 8)
  }

  /// 8 columns from `ox`.
  func narrow(at ox: Int) {
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var a2 = SIMD8<Float>()
    var a3 = SIMD8<Float>()
    var t = 0
    var plane = x.base + ox
    for _ in 0..<x.channels {
      var row = plane
      for _ in 0..<kernelHeight {
        for kx in 0..<kernelWidth {
          let u = load(row + kx)
          a0.addProduct(u, SIMD8<Float>(repeating: w.0[t]))
          a1.addProduct(u, SIMD8<Float>(repeating: w.1[t]))
          a2.addProduct(u, SIMD8<Float>(repeating: w.2[t]))
          a3.addProduct(u, SIMD8<Float>(repeating: w.3[t]))
          t += 1
        }
        row += x.rowStride
      }
      plane += x.channelStride
    }
    store(a0, y.0 + ox)
    store(a1, y.1 + ox)
    store(a2, y.2 + ox)
    store(a3, y.3 + ox)
  }

  /// The one column `ox`.
  func scalar(at ox: Int) {
    var a = SIMD4<Float>()
    var t = 0
    var plane = x.base + ox
    for _ in 0..<x.channels {
      var row = plane
      for _ in 0..<kernelHeight {
        for kx in 0..<kernelWidth {
          a.addProduct(SIMD4(repeating: row[kx]), SIMD4(w.0[t], w.1[t], w.2[t], w.3[t]))
          t += 1
        }
        row += x.rowStride
      }
      plane += x.channelStride
    }
    (y.0[ox], y.1[ox], y.2[ox], y.3[ox]) = (a[0], a[1], a[2], a[3])
  }

  @inline(__always)
  private func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  private func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
  }
}
