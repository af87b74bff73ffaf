import Tensor

/// Instantiates layers from plans inside one workspace. Each layer's initialiser takes the
/// values of its spec case, so a layer cannot be built from a plan of another kind.
struct LayerBuilder {
  let parameters: UnsafeMutablePointer<Float>
  let gradients: UnsafeMutablePointer<Float>
  let state: UnsafeMutablePointer<Float>
  let scratch: ScratchArena
  let maxBatch: Int
  let columnTarget: Int
  /// Whether the layers only run forward (inference): convolutions may then use algorithms
  /// without gradients.
  var forwardOnly = false

  func sequence(_ plans: [LayerPlan], batchNorms: inout [BatchNormLayer]) -> SequenceLayer {
    var layers: [any Layer] = []
    for plan in plans {
      if case .relu = plan.spec, let norm = layers.last as? BatchNormLayer, !norm.fusedReLU {
        norm.fusedReLU = true
        layers.append(PassThroughLayer())
      } else if forwardOnly, case .prelu = plan.spec, let conv = layers.last as? Conv2DLayer,
        conv.fusedPReLUSlopes == nil
      {
        // Forward only, the convolution's output need not be kept before the activation.
        conv.fusedPReLUSlopes = parameters + plan.weight!
        layers.append(PassThroughLayer())
      } else {
        layers.append(layer(plan, batchNorms: &batchNorms))
      }
    }
    return SequenceLayer(layers)
  }

  func layer(_ plan: LayerPlan, batchNorms: inout [BatchNormLayer]) -> any Layer {
    switch plan.spec {
    case .conv2d(let outputs, let kernel, let stride, let padding, _):
      let x = plan.input
      let geometry = ConvGeometry(
        channels: x.channels, height: x.height, width: x.width, kernel: kernel, stride: stride,
        padding: padding)
      let chunk = NetworkPlanner.convolutionChunk(
        outputPlane: plan.output.planeSize, maxBatch: maxBatch, columnTarget: columnTarget)
      return Conv2DLayer(
        convolution: NetworkPlanner.convolution(
          for: geometry, outputs: outputs, chunk: chunk, forwardOnly: forwardOnly),
        weight: parameters + plan.weight!, weightGradient: gradients + plan.weight!,
        bias: plan.bias.map { parameters + $0 }, biasGradient: plan.bias.map { gradients + $0 },
        arena: scratch, maxBatch: maxBatch)
    case .batchNorm(let momentum, let epsilon):
      let layer = BatchNormLayer(
        momentum: momentum, epsilon: epsilon, plan: plan, parameters: parameters,
        gradients: gradients, state: state, maxBatch: maxBatch)
      batchNorms.append(layer)
      return layer
    case .relu: return ActivationLayer(plan: plan, function: .relu, maxBatch: maxBatch)
    case .silu: return ActivationLayer(plan: plan, function: .silu, maxBatch: maxBatch)
    case .maxPool(let kernel, let stride):
      return PoolingLayer(
        kernel: kernel, stride: stride, isMax: true, plan: plan, maxBatch: maxBatch)
    case .avgPool(let kernel, let stride):
      return PoolingLayer(
        kernel: kernel, stride: stride, isMax: false, plan: plan, maxBatch: maxBatch)
    case .maxPoolCeil(let kernel, let stride):
      return CeilMaxPoolLayer(kernel: kernel, stride: stride, plan: plan, maxBatch: maxBatch)
    case .prelu:
      return PReLULayer(
        plan: plan, parameters: parameters, gradients: gradients, maxBatch: maxBatch)
    case .globalAvgPool: return GlobalAvgPoolLayer(plan: plan, maxBatch: maxBatch)
    case .dropout(let rate): return DropoutLayer(rate: rate, plan: plan, maxBatch: maxBatch)
    case .flatten: return FlattenLayer(plan: plan, maxBatch: maxBatch)
    case .dense(let outputs, _):
      return DenseLayer(
        outputs: outputs, plan: plan, parameters: parameters, gradients: gradients,
        maxBatch: maxBatch)
    case .residual:
      let body = sequence(plan.body, batchNorms: &batchNorms)
      let shortcut = sequence(plan.shortcut, batchNorms: &batchNorms)
      return ResidualLayer(plan: plan, body: body, shortcut: shortcut, maxBatch: maxBatch)
    }
  }
}
