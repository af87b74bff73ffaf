import Foundation
import Tensor

/// A network built from a ``NetworkSpec``: its trainable ``parameters`` and its ``state``
/// (batch-norm running statistics), each one flat store with PyTorch-style names.
///
/// The network holds no activations: computation happens in ``Workspace``s, one per worker
/// thread, which read the parameters concurrently and write gradients into their own buffers.
/// Between steps (never during one) the caller updates parameters and calls
/// ``updateRunningStatistics(from:)``.
///
/// Inside workspaces activations are laid out `[channels, batch, height, width]` ("CNHW"):
/// a convolution over a chunk of images is then a single GEMM whose output block lands in
/// place, and each channel of a batch norm is one contiguous run. Public entry points take and
/// return NCHW.
public final class Network: @unchecked Sendable {
  /// The description this network was built from.
  public let spec: NetworkSpec
  /// Trainable tensors (weights, biases, batch-norm scale and shift).
  public let parameters: ParameterStore
  /// Running means and variances of batch norms.
  public let state: ParameterStore
  /// The per-image input shape.
  public let inputShape: ActivationShape
  /// The per-image output shape (classes × 1 × 1 for a classifier).
  public let outputShape: ActivationShape
  let plans: [LayerPlan]
  let activationSize: Int

  /// Builds and initialises a network: convolution weights He-normal (fan-in, for ReLU),
  /// dense weights uniform in ±1/√fan-in (PyTorch's default), biases zero, PReLU slopes 0.25,
  /// batch-norm scale one, shift zero, running variance one. Same seed, same weights.
  public init(spec: NetworkSpec, seed: UInt64) throws(NetworkError) {
    let input = ActivationShape(
      channels: spec.inputChannels, height: spec.inputHeight, width: spec.inputWidth)
    guard input.channels > 0, input.height > 0, input.width > 0, input.size <= 1 << 24 else {
      throw .invalidSpec("input \(input) must be positive and at most 2^24 elements")
    }
    guard !spec.layers.isEmpty else { throw .invalidSpec("no layers") }
    var planner = NetworkPlanner()
    plans = try planner.plan(spec.layers, input: input, prefix: "")
    self.spec = spec
    inputShape = input
    outputShape = plans.last!.output
    activationSize = planner.activationSize + input.size
    parameters = ParameterStore(infos: planner.parameters)
    state = ParameterStore(infos: planner.state)
    var rng = Xoshiro256(seed: seed)
    initialize(plans, rng: &rng)
  }

  /// Number of output classes (output channels).
  public var classes: Int { outputShape.channels }

  private func initialize(_ plans: [LayerPlan], rng: inout Xoshiro256) {
    for plan in plans {
      switch plan.spec {
      case .conv2d(let outputs, let kernel, _, _, _):
        let fanIn = plan.input.channels * kernel * kernel
        let std = (2.0 / Double(fanIn)).squareRoot()
        let w = parameters.values + plan.weight!
        for i in 0..<(outputs * fanIn) { w[i] = Float(rng.nextGaussian() * std) }
      case .dense(let outputs, _):
        let fanIn = plan.input.channels
        let bound = 1 / Double(fanIn).squareRoot()
        let w = parameters.values + plan.weight!
        for i in 0..<(outputs * fanIn) { w[i] = Float((rng.nextDouble() * 2 - 1) * bound) }
      case .batchNorm:
        let c = plan.input.channels
        (parameters.values + plan.weight!).update(repeating: 1, count: c)
        (state.values + plan.runningStats! + c).update(repeating: 1, count: c)
      case .prelu:
        (parameters.values + plan.weight!).update(repeating: 0.25, count: plan.input.channels)
      case .residual:
        initialize(plan.body, rng: &rng)
        initialize(plan.shortcut, rng: &rng)
      default:
        break
      }
    }
  }

  /// Folds the batch statistics of the last training forward pass of every workspace into the
  /// running statistics, as if the workspaces' images had been one batch: the pooled mean and
  /// the pooled variance (made unbiased, as PyTorch does). Call once per step, after the
  /// workers finish.
  public func updateRunningStatistics(from workspaces: [Workspace]) {
    guard let first = workspaces.first else { return }
    for (index, layer) in first.batchNorms.enumerated() {
      let c = layer.channels
      let mean = state.values + layer.runningStatsOffset
      let variance = mean + c
      let counts = workspaces.map { Double($0.batchNorms[index].lastCount) }
      let total = counts.reduce(0, +)
      guard total > 1 else { continue }
      for ch in 0..<c {
        var pooledMean = 0.0
        for (w, ws) in workspaces.enumerated() {
          pooledMean += counts[w] * Double(ws.batchNorms[index].batchMean[ch])
        }
        pooledMean /= total
        var pooledVariance = 0.0
        for (w, ws) in workspaces.enumerated() {
          let layer = ws.batchNorms[index]
          let d = Double(layer.batchMean[ch]) - pooledMean
          pooledVariance += counts[w] * (Double(layer.batchVariance[ch]) + d * d)
        }
        pooledVariance /= total - 1
        let m = Double(layer.momentum)
        mean[ch] = Float((1 - m) * Double(mean[ch]) + m * pooledMean)
        variance[ch] = Float((1 - m) * Double(variance[ch]) + m * pooledVariance)
      }
    }
  }
}
