import Dispatch
import Tensor

/// A 1×1, stride-1, unpadded convolution: the input `[C, n·H·W]` already is the column matrix,
/// so each chunk of images is one GEMM `y[Cout, cols] = W[Cout, C] · x[C, cols]` reading the
/// input in place (row stride `n·H·W`), and the gradients are GEMMs too:
/// `dW += dY · xᵀ`, `dx = Wᵀ · dY`. Needs no scratch.
public final class PointwiseConvolution: ConvolutionAlgorithm {
  public let geometry: ConvGeometry
  public let outputs: Int
  /// Images per GEMM.
  public let chunk: Int
  public var scratchSize: Int { 0 }

  /// Whether `g` is a convolution this type computes: a 1×1 kernel, stride 1, no padding.
  public static func supports(_ g: ConvGeometry) -> Bool {
    g.isValid && g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideY == 1 && g.strideX == 1
      && g.paddingY == 0 && g.paddingX == 0
  }

  /// `nil` unless ``supports(_:)``; `chunk` images per GEMM.
  public init?(geometry: ConvGeometry, outputs: Int, chunk: Int) {
    guard Self.supports(geometry), outputs > 0 else { return nil }
    self.geometry = geometry
    self.outputs = outputs
    self.chunk = max(1, chunk)
  }

  public func forward(
    _ x: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int,
    frozenWeights: Bool
  ) {
    let plane = geometry.height * geometry.width
    let k = geometry.channels
    var first = 0
    while first < n {
      let g = min(chunk, n - first)
      let cols = g * plane
      let b = x + first * plane
      let out = y + first * plane
      if threads > 1 {
        // The GEMM by output-channel slices.
        let shared = Unchecked((self, b, out, weight))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
          let (me, b, out, weight) = shared.value
          let rows = Self.slice(t, of: threads, total: me.outputs)
          guard !rows.isEmpty else { return }
          sgemm(
            .none, .none, m: rows.count, n: cols, k: k, a: weight + rows.lowerBound * k,
            lda: k, b: b, ldb: n * plane, beta: 0, c: out + rows.lowerBound * n * plane,
            ldc: n * plane)
        }
      } else {
        sgemm(
          .none, .none, m: outputs, n: cols, k: k, a: weight, lda: k, b: b, ldb: n * plane,
          beta: 0, c: out, ldc: n * plane)
      }
      first += g
    }
  }

  public func accumulateWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, batch n: Int,
    into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let plane = geometry.height * geometry.width
    let k = geometry.channels
    var first = 0
    while first < n {
      let g = min(chunk, n - first)
      // dW[Cout, C] += dY[Cout, cols] · X[C, cols]ᵀ
      sgemm(
        .none, .transposed, m: outputs, n: k, k: g * plane, a: dy + first * plane,
        lda: n * plane, b: x + first * plane, ldb: n * plane, beta: 1, c: dW, ldc: k)
      first += g
    }
  }

  public func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let plane = geometry.height * geometry.width
    let k = geometry.channels
    var first = 0
    while first < n {
      let g = min(chunk, n - first)
      // dX[C, cols] = Wᵀ · dY, written straight into the input gradient.
      sgemm(
        .transposed, .none, m: k, n: g * plane, k: outputs, a: weight, lda: k,
        b: dy + first * plane, ldb: n * plane, beta: 0, c: dx + first * plane, ldc: n * plane)
      first += g
    }
  }
}
