import Tensor

/// The input gradient of a stride-1 convolution as a convolution: `dx` is the stride-1
/// convolution of `dY` (`[Cout, n, OH, OW]`, padding `k − 1 − p`) with the kernel flipped and
/// its in/out channels swapped, `W̃[c][o][ky][kx] = W[o][c][kh−1−ky][kw−1−kx]`. That
/// convolution runs through the algorithm ``NetworkPlanner`` picks for its geometry (Winograd
/// for 3×3 kernels over enough channels, else im2col).
final class FlippedKernelGradient {
  /// The forward convolution's geometry and output channels.
  let geometry: ConvGeometry
  let outputs: Int
  /// The convolution over `dY`: `outputs` input channels, `geometry.channels` outputs.
  let convolution: any ConvolutionAlgorithm
  /// `W̃` `[C, Cout, kh, kw]`, rewritten on every call.
  private let flipped: FloatBuffer

  var scratchSize: Int { convolution.scratchSize }

  /// The input-gradient convolution of a stride-1 `geometry`: over the output gradient,
  /// padding `k − 1 − p`.
  static func geometry(of g: ConvGeometry, outputs: Int) -> ConvGeometry {
    ConvGeometry(
      channels: outputs, height: g.outputHeight, width: g.outputWidth,
      kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, strideY: 1, strideX: 1,
      paddingY: g.kernelHeight - 1 - g.paddingY, paddingX: g.kernelWidth - 1 - g.paddingX)
  }

  init(geometry: ConvGeometry, outputs: Int, chunk: Int) {
    self.geometry = geometry
    self.outputs = outputs
    let back = Self.geometry(of: geometry, outputs: outputs)
    convolution = NetworkPlanner.convolution(
      for: back, outputs: geometry.channels, chunk: chunk, inputGradient: false)
    flipped = FloatBuffer(count: outputs * geometry.patchSize)
  }

  /// `dx` (`[C, n, H, W]`) from `dy` and the forward kernels `weight`.
  func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    flip(weight, into: flipped.pointer)
    convolution.forward(
      dy, batch: n, weight: flipped.pointer, into: dx, scratch: scratch, threads: 1,
      frozenWeights: false)
  }

  /// `W̃[c][(o·kh + ky)·kw + kx] = W[o][c][kh−1−ky][kw−1−kx]`.
  private func flip(_ weight: UnsafePointer<Float>, into w: UnsafeMutablePointer<Float>) {
    let (kh, kw, c) = (geometry.kernelHeight, geometry.kernelWidth, geometry.channels)
    for o in 0..<outputs {
      for ci in 0..<c {
        let src = weight + (o * c + ci) * kh * kw
        let dst = w + (ci * outputs + o) * kh * kw
        for ky in 0..<kh {
          for kx in 0..<kw { dst[ky * kw + kx] = src[(kh - 1 - ky) * kw + (kw - 1 - kx)] }
        }
      }
    }
  }
}
