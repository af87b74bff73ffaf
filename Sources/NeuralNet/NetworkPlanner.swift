import Tensor

/// Walks a spec, checking every layer against its input and laying out parameters.
struct NetworkPlanner {
  var parameters: [ParameterInfo] = []
  var state: [ParameterInfo] = []
  var ordinal = 0
  /// Activation elements per image summed over all layers (sizes the workspaces).
  var activationSize = 0

  private var parameterCount: Int { parameters.last.map { $0.offset + $0.count } ?? 0 }
  private var stateCount: Int { state.last.map { $0.offset + $0.count } ?? 0 }

  private mutating func addParameter(_ name: String, _ shape: [Int], decay: Bool) -> Int {
    let offset = parameterCount
    parameters.append(ParameterInfo(name: name, shape: shape, offset: offset, decay: decay))
    return offset
  }

  private mutating func addState(_ name: String, _ shape: [Int]) -> Int {
    let offset = stateCount
    state.append(ParameterInfo(name: name, shape: shape, offset: offset, decay: false))
    return offset
  }

  mutating func plan(_ specs: [LayerSpec], input: ActivationShape, prefix: String)
    throws(NetworkError) -> [LayerPlan]
  {
    var shape = input
    var plans: [LayerPlan] = []
    for (i, spec) in specs.enumerated() {
      let layer = try plan(spec, input: shape, name: prefix + String(i))
      plans.append(layer)
      shape = layer.output
    }
    return plans
  }

  private func check(_ condition: Bool, _ name: String, _ why: @autoclosure () -> String)
    throws(NetworkError)
  {
    if !condition { throw .invalidSpec("layer \(name): \(why())") }
  }

  /// Largest number of outputs of a layer and of activation elements per image in one layer.
  private static let limit = 1 << 24

  /// What a layer without sublayers produces: its output shape and the offsets of its weight,
  /// bias and running statistics.
  private typealias Slots = (
    output: ActivationShape, weight: Int?, bias: Int?, stats: Int?
  )

  private mutating func plan(_ spec: LayerSpec, input x: ActivationShape, name: String)
    throws(NetworkError) -> LayerPlan
  {
    ordinal += 1
    let ordinal = self.ordinal
    func make(_ slots: Slots) -> LayerPlan {
      LayerPlan(
        spec: spec, name: name, ordinal: ordinal, input: x, output: slots.output,
        weight: slots.weight, bias: slots.bias, runningStats: slots.stats)
    }
    let result: LayerPlan
    switch spec {
    case .conv2d(let outputs, let kernel, let stride, let padding, let bias):
      result = make(
        try convolutionSlots(
          outputs: outputs, kernel: kernel, stride: stride, padding: padding, bias: bias,
          input: x, name: name))
    case .batchNorm(let momentum, let epsilon):
      result = make(try batchNormSlots(momentum: momentum, epsilon: epsilon, input: x, name: name))
    case .relu, .silu:
      result = make((x, nil, nil, nil))
    case .maxPool(let kernel, let stride), .avgPool(let kernel, let stride):
      result = make(try poolSlots(kernel: kernel, stride: stride, input: x, name: name))
    case .maxPoolCeil(let kernel, let stride):
      result = make(try ceilPoolSlots(kernel: kernel, stride: stride, input: x, name: name))
    case .prelu:
      result = make((x, addParameter(name + ".weight", [x.channels], decay: false), nil, nil))
    case .globalAvgPool:
      result = make((ActivationShape(channels: x.channels, height: 1, width: 1), nil, nil, nil))
    case .dropout(let rate):
      try check(rate >= 0 && rate < 1, name, "rate must be in [0, 1)")
      result = make((x, nil, nil, nil))
    case .flatten:
      result = make((ActivationShape(channels: x.size, height: 1, width: 1), nil, nil, nil))
    case .dense(let outputs, let bias):
      result = make(try denseSlots(outputs: outputs, bias: bias, input: x, name: name))
    case .residual(let body, let shortcut):
      result = try planResidual(
        spec, body: body, shortcut: shortcut, input: x, name: name, ordinal: ordinal)
    }
    try check(
      result.output.size <= Self.limit, name, "activation of \(result.output) is too large")
    activationSize += result.output.size
    guard activationSize <= 1 << 26, parameterCount <= 1 << 28 else {
      throw .tooLarge("more than 2^26 activation or 2^28 parameter elements per image")
    }
    return result
  }

  /// A residual layer: its body and shortcut planned on the same input, which must give the
  /// same output.
  private mutating func planResidual(
    _ spec: LayerSpec, body bodySpecs: [LayerSpec], shortcut shortcutSpecs: [LayerSpec],
    input x: ActivationShape, name: String, ordinal: Int
  ) throws(NetworkError) -> LayerPlan {
    try check(!bodySpecs.isEmpty, name, "residual body is empty")
    let body = try plan(bodySpecs, input: x, prefix: name + ".body.")
    let shortcut = try plan(shortcutSpecs, input: x, prefix: name + ".shortcut.")
    let bodyOut = body.last!.output
    let shortcutOut = shortcut.last?.output ?? x
    try check(
      bodyOut == shortcutOut, name,
      "body gives \(bodyOut) but shortcut gives \(shortcutOut)")
    return LayerPlan(
      spec: spec, name: name, ordinal: ordinal, input: x, output: bodyOut, body: body,
      shortcut: shortcut)
  }

  private mutating func batchNormSlots(
    momentum: Float, epsilon: Float, input x: ActivationShape, name: String
  ) throws(NetworkError) -> Slots {
    try check(momentum >= 0 && momentum <= 1, name, "momentum must be in 0...1")
    try check(epsilon > 0 && epsilon.isFinite, name, "epsilon must be positive")
    let w = addParameter(name + ".weight", [x.channels], decay: false)
    let b = addParameter(name + ".bias", [x.channels], decay: false)
    let s = addState(name + ".running_mean", [x.channels])
    _ = addState(name + ".running_var", [x.channels])
    return (x, w, b, s)
  }

  private func poolSlots(kernel: Int, stride: Int, input x: ActivationShape, name: String)
    throws(NetworkError) -> Slots
  {
    let g = ConvGeometry(
      channels: x.channels, height: x.height, width: x.width, kernel: kernel, stride: stride)
    try check(
      kernel > 0 && stride > 0 && g.isValid, name,
      "pool \(kernel)/\(stride) does not fit input \(x)")
    return (
      ActivationShape(channels: x.channels, height: g.outputHeight, width: g.outputWidth),
      nil, nil, nil
    )
  }

  private func ceilPoolSlots(kernel: Int, stride: Int, input x: ActivationShape, name: String)
    throws(NetworkError) -> Slots
  {
    try check(
      kernel > 0 && kernel <= 64 && stride > 0 && stride <= 64 && x.height >= kernel
        && x.width >= kernel, name,
      "pool \(kernel)/\(stride) does not fit input \(x)")
    let output = ActivationShape(
      channels: x.channels,
      height: CeilMaxPoolLayer.outputSide(x.height, kernel: kernel, stride: stride),
      width: CeilMaxPoolLayer.outputSide(x.width, kernel: kernel, stride: stride))
    return (output, nil, nil, nil)
  }

  private mutating func convolutionSlots(
    outputs: Int, kernel: Int, stride: Int, padding: Int, bias: Bool, input x: ActivationShape,
    name: String
  ) throws(NetworkError) -> Slots {
    try check(outputs > 0 && outputs <= Self.limit, name, "outputs must be in 1...\(Self.limit)")
    let g = ConvGeometry(
      channels: x.channels, height: x.height, width: x.width, kernel: kernel, stride: stride,
      padding: padding)
    try check(
      kernel > 0 && kernel <= 64 && stride > 0 && stride <= 64 && g.isValid, name,
      "kernel \(kernel), stride \(stride), padding \(padding) do not fit input \(x)")
    let w = addParameter(name + ".weight", [outputs, x.channels, kernel, kernel], decay: true)
    let b = bias ? addParameter(name + ".bias", [outputs], decay: false) : nil
    return (
      ActivationShape(channels: outputs, height: g.outputHeight, width: g.outputWidth), w, b, nil
    )
  }

  private mutating func denseSlots(
    outputs: Int, bias: Bool, input x: ActivationShape, name: String
  ) throws(NetworkError) -> Slots {
    try check(outputs > 0 && outputs <= Self.limit, name, "outputs must be in 1...\(Self.limit)")
    try check(
      x.height == 1 && x.width == 1, name,
      "dense needs features (1×1 planes), got \(x); add flatten or globalAvgPool first")
    let w = addParameter(name + ".weight", [outputs, x.channels], decay: true)
    let b = bias ? addParameter(name + ".bias", [outputs], decay: false) : nil
    return (ActivationShape(channels: outputs, height: 1, width: 1), w, b, nil)
  }
}
