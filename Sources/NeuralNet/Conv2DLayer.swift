import Tensor

/// A 2-D convolution layer: a ``ConvolutionAlgorithm`` picked by ``NetworkPlanner`` for the
/// layer's geometry, plus the bias. Activations are `[C, n, H, W]` in, `[Cout, n, OH, OW]` out;
/// the weight `[Cout, C, kh, kw]` and bias `[Cout]` are slices of the network's parameters.
/// The algorithm's transient working memory is the workspace's shared ``ScratchArena`` (its
/// layers run one at a time).
final class Conv2DLayer: Layer {
  let convolution: any ConvolutionAlgorithm
  let weight: UnsafeMutablePointer<Float>
  let weightGradient: UnsafeMutablePointer<Float>
  let bias: UnsafeMutablePointer<Float>?
  let biasGradient: UnsafeMutablePointer<Float>?
  /// The per-channel slopes of a PReLU that follows this layer in a forward-only workspace,
  /// applied with the bias in one pass over the output (the PReLU layer then passes through).
  var fusedPReLUSlopes: UnsafeMutablePointer<Float>?
  private let arena: ScratchArena
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// `weight` and `bias` point at the layer's parameters, `weightGradient` and
  /// `biasGradient` at their gradients. Reserves the algorithm's scratch in `arena`.
  init(
    convolution: any ConvolutionAlgorithm, weight: UnsafeMutablePointer<Float>,
    weightGradient: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?,
    biasGradient: UnsafeMutablePointer<Float>?, arena: ScratchArena,
    maxBatch: Int
  ) {
    self.convolution = convolution
    self.weight = weight
    self.weightGradient = weightGradient
    self.bias = bias
    self.biasGradient = biasGradient
    self.arena = arena
    arena.reserve(convolution.scratchSize)
    let g = convolution.geometry
    out = FloatBuffer(count: maxBatch * convolution.outputs * g.outputHeight * g.outputWidth)
    dIn = FloatBuffer(count: maxBatch * g.channels * g.height * g.width)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let n = context.batch
    convolution.forward(
      input, batch: n, weight: weight, into: output, scratch: arena.pointer,
      threads: context.threads, frozenWeights: context.frozenWeights)
    let g = convolution.geometry
    let run = n * g.outputHeight * g.outputWidth
    if let slopes = fusedPReLUSlopes {
      for c in 0..<convolution.outputs {
        VectorMath.biasPReLU(output + c * run, bias: bias?[c] ?? 0, slope: slopes[c], count: run)
      }
    } else if let bias {
      for c in 0..<convolution.outputs {
        let p = output + c * run
        let v = bias[c]
        for i in 0..<run { p[i] += v }
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    let n = context.batch
    let g = convolution.geometry
    if let biasGradient {
      let run = n * g.outputHeight * g.outputWidth
      for c in 0..<convolution.outputs {
        biasGradient[c] += Float(VectorMath.sum(dOut + c * run, run))
      }
    }
    convolution.accumulateWeightGradient(
      input: input, outputGradient: dOut, batch: n, into: weightGradient, scratch: arena.pointer)
    if wantInput {
      convolution.inputGradient(
        outputGradient: dOut, batch: n, weight: weight, into: inputGradient, scratch: arena.pointer)
    }
  }
}
