import Dispatch
import Tensor

/// A stride-1 convolution computed directly by ``DirectConvolutionKernel``: no im2col columns
/// and no transforms, for convolutions with few output channels whose GEMMs are too small to
/// run well (MTCNN's P-Net, 3→10→16→32 channels).
///
/// Images are convolved one at a time, the input read in place; a padded convolution first
/// copies the image into zero-bordered planes `[C, H + 2·py, W + 2·px]` in the scratch. A
/// forward pass split between threads gives each a slice of the output rows. The weight and
/// input gradients go through `gradients`, the algorithm the planner would pick otherwise:
/// this type only speeds up the forward pass.
public final class DirectConvolution: ConvolutionAlgorithm {
  public let geometry: ConvGeometry
  public let outputs: Int
  public let scratchSize: Int
  /// Computes the gradients.
  private let gradients: any ConvolutionAlgorithm

  /// Whether `g` is a convolution this type computes: any kernel at stride 1.
  public static func supports(_ g: ConvGeometry) -> Bool {
    g.isValid && g.strideY == 1 && g.strideX == 1
  }

  /// `nil` unless ``supports(_:)`` and `gradients` has the same geometry and outputs.
  public init?(geometry: ConvGeometry, outputs: Int, gradients: any ConvolutionAlgorithm) {
    guard Self.supports(geometry), outputs > 0, gradients.geometry == geometry,
      gradients.outputs == outputs
    else { return nil }
    self.geometry = geometry
    self.outputs = outputs
    self.gradients = gradients
    let padded = geometry.paddingY > 0 || geometry.paddingX > 0
    scratchSize = max(
      padded ? geometry.channels * Self.paddedPlane(geometry) : 0, gradients.scratchSize)
  }

  /// Floats of one zero-bordered input plane.
  private static func paddedPlane(_ g: ConvGeometry) -> Int {
    (g.height + 2 * g.paddingY) * (g.width + 2 * g.paddingX)
  }

  public func forward(
    _ x: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int,
    frozenWeights: Bool
  ) {
    let g = geometry
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    let plane = g.height * g.width
    for i in 0..<n {
      let input: DirectConvolutionKernel.Planes
      if g.paddingY > 0 || g.paddingX > 0 {
        pad(image: x + i * plane, channelStride: n * plane, into: scratch)
        input = DirectConvolutionKernel.Planes(
          base: scratch, channels: g.channels, channelStride: Self.paddedPlane(g),
          rowStride: g.width + 2 * g.paddingX)
      } else {
        input = DirectConvolutionKernel.Planes(
          base: x + i * plane, channels: g.channels, channelStride: n * plane, rowStride: g.width)
      }
      let out = y + i * oh * ow
      let parts = min(threads, oh)
      if parts > 1 {
        let run = Unchecked((self, input, weight, out, n))
        DispatchQueue.concurrentPerform(iterations: parts) { t in
          let (me, input, weight, out, n) = run.value
          me.rows(Self.slice(t, of: parts, total: oh), of: input, weight, into: out, batch: n)
        }
      } else {
        rows(0..<oh, of: input, weight, into: out, batch: n)
      }
    }
  }

  /// Output rows `rows` of one image, whose planes start at `out`, of a batch of `n`.
  private func rows(
    _ rows: Range<Int>, of input: DirectConvolutionKernel.Planes, _ weight: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>, batch n: Int
  ) {
    let g = geometry
    DirectConvolutionKernel.forward(
      input, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, weight: weight,
      outputs: 0..<outputs, rows: rows, outputWidth: g.outputWidth, into: out,
      outputChannelStride: n * g.outputHeight * g.outputWidth)
  }

  /// Copies one image (`C` planes `channelStride` apart) into zero-bordered planes.
  private func pad(
    image x: UnsafePointer<Float>, channelStride: Int, into p: UnsafeMutablePointer<Float>
  ) {
    let g = geometry
    let width = g.width + 2 * g.paddingX
    let count = g.channels * Self.paddedPlane(g)
    p.update(repeating: 0, count: count)
    for c in 0..<g.channels {
      for r in 0..<g.height {
        let to = p + c * Self.paddedPlane(g) + (r + g.paddingY) * width + g.paddingX
        to.update(from: x + c * channelStride + r * g.width, count: g.width)
      }
    }
  }

  public func accumulateWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, batch: Int,
    into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    gradients.accumulateWeightGradient(
      input: x, outputGradient: dy, batch: batch, into: dW, scratch: scratch)
  }

  public func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    gradients.inputGradient(
      outputGradient: dy, batch: batch, weight: weight, into: dx, scratch: scratch)
  }
}
