import NeuralNet
import Tensor
import Testing

/// Finite-difference checks of a network's backward pass on the scalar `L = Σ output·R` for a
/// fixed random `R` (uniform in [−0.5, 1.5): a non-zero mean, so terms like a batch norm's
/// mean gradient matter): central differences in Float with `step`, compared to the analytic
/// gradients with a tolerance relative to `max(1, |numeric|)`: 1e-3 by default, where correct layers
/// measure below 1e-4 and a wrong term is off by 1e-2 or more.
struct GradientCheck {
  var network: Network
  var workspace: Workspace
  var input: Tensor
  var weights: Tensor
  var training = true
  var seed: UInt64 = 7
  var step: Float = 1e-2
  var tolerance: Float = 1e-3

  init(
    spec: NetworkSpec, batch: Int, inputs: Tensor? = nil, seed: UInt64 = 1, columnTarget: Int = 2048
  )
    throws
  {
    network = try Network(spec: spec, seed: seed)
    workspace = try Workspace(network: network, maxBatch: batch, columnTarget: columnTarget)
    var rng = Xoshiro256(seed: seed &+ 100)
    let shape = [batch, spec.inputChannels, spec.inputHeight, spec.inputWidth]
    input =
      inputs
      ?? Tensor(
        shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in Float(rng.nextGaussian()) })
    let o = network.outputShape
    let outShape = [batch, o.channels, o.height, o.width]
    weights = Tensor(
      shape: outShape,
      storage: (0..<outShape.reduce(1, *)).map { _ in rng.nextFloat() * 2 - 0.5 })
  }

  /// `Σ output·R` in Double.
  func loss() throws -> Double {
    let out = try workspace.forward(input, training: training, seed: seed)
    var total = 0.0
    for i in 0..<out.count { total += Double(out.storage[i]) * Double(weights.storage[i]) }
    return total
  }

  /// Analytic gradients: (parameters, input).
  func analytic() throws -> ([Float], Tensor) {
    workspace.zeroGradients()
    _ = try workspace.forward(input, training: training, seed: seed)
    let dx = try #require(try workspace.backward(weights, inputGradient: true))
    let g = Array(UnsafeBufferPointer(start: workspace.gradients, count: network.parameters.count))
    return (g, dx)
  }

  /// The largest `|numeric − analytic| / max(1, |numeric|)` seen by ``run(samples:checkInput:checkParameters:)``.
  private(set) var worst: Float = 0

  /// Checks up to `samples` parameter elements and `samples` input elements.
  mutating func run(samples: Int = 30, checkInput: Bool = true, checkParameters: Bool = true)
    throws
  {
    let (paramGrad, inputGrad) = try analytic()
    var rng = Xoshiro256(seed: 99)
    let p = network.parameters
    if checkParameters {
      let indices =
        p.count <= samples
        ? Array(0..<p.count) : (0..<samples).map { _ in rng.nextInt(below: p.count) }
      for i in indices {
        let original = p.values[i]
        p.values[i] = original + step
        let up = try loss()
        p.values[i] = original - step
        let down = try loss()
        p.values[i] = original
        let numeric = Float((up - down) / Double(2 * step))
        let name = p.infos.last { $0.offset <= i }!.name
        worst = max(worst, abs(numeric - paramGrad[i]) / max(1, abs(numeric)))
        #expect(
          abs(numeric - paramGrad[i]) <= tolerance * max(1, abs(numeric)),
          "parameter \(name)[\(i - p.info(named: name)!.offset)]: numeric \(numeric), analytic \(paramGrad[i])"
        )
      }
    }
    if checkInput {
      let indices =
        input.count <= samples
        ? Array(0..<input.count) : (0..<samples).map { _ in rng.nextInt(below: input.count) }
      for i in indices {
        let original = input.storage[i]
        input.storage[i] = original + step
        let up = try loss()
        input.storage[i] = original - step
        let down = try loss()
        input.storage[i] = original
        let numeric = Float((up - down) / Double(2 * step))
        worst = max(worst, abs(numeric - inputGrad.storage[i]) / max(1, abs(numeric)))
        #expect(
          abs(numeric - inputGrad.storage[i]) <= tolerance * max(1, abs(numeric)),
          "input[\(i)]: numeric \(numeric), analytic \(inputGrad.storage[i])")
      }
    }
  }
}
