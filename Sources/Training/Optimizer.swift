import Foundation
import NeuralNet

/// Updates a ``ParameterStore`` from gradients, keeping its state (momentum, or Adam's two
/// moments and step count) in flat buffers laid out like the parameters, so the state can be
/// saved and restored exactly.
public final class Optimizer: @unchecked Sendable {
  public let config: OptimizerConfig
  /// Updates applied so far.
  public private(set) var steps: Int = 0
  private let count: Int
  /// `[start, end)` element ranges of parameters that take weight decay.
  private let decayRanges: [Range<Int>]
  private let noDecayRanges: [Range<Int>]
  private let first: FloatBuffer
  private let second: FloatBuffer

  public init(config: OptimizerConfig, parameters: ParameterStore) {
    self.config = config
    count = parameters.count
    decayRanges = parameters.infos.filter(\.decay).map { $0.offset..<($0.offset + $0.count) }
    noDecayRanges = parameters.infos.filter { !$0.decay }.map {
      $0.offset..<($0.offset + $0.count)
    }
    first = FloatBuffer(count: count)
    second = FloatBuffer(count: config.kind == .adamw ? count : 0)
  }

  /// Applies one update with learning rate `learningRate` to `parameters` (which must be the
  /// store this optimiser was made for) from `gradients` (same layout).
  public func step(
    parameters: ParameterStore, gradients: UnsafePointer<Float>, learningRate: Float
  ) {
    precondition(parameters.count == count, "optimizer used with another parameter store")
    steps += 1
    let p = parameters.values
    for (ranges, decay) in [(decayRanges, config.weightDecay), (noDecayRanges, 0)] {
      for r in ranges {
        switch config.kind {
        case .sgd: sgd(p, gradients, r, lr: learningRate, decay: decay)
        case .adamw: adamw(p, gradients, r, lr: learningRate, decay: decay)
        }
      }
    }
  }

  private func sgd(
    _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ r: Range<Int>, lr: Float,
    decay: Float
  ) {
    let mu = config.momentum
    let buf = first.pointer
    let firstStep = steps == 1
    for i in r {
      let grad = g[i] + decay * p[i]
      let b = firstStep ? grad : mu * buf[i] + grad
      buf[i] = b
      p[i] -= lr * (grad + mu * b)
    }
  }

  private func adamw(
    _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ r: Range<Int>, lr: Float,
    decay: Float
  ) {
    let (b1, b2, eps) = (config.beta1, config.beta2, config.epsilon)
    let correction1 = 1 - Float(pow(Double(b1), Double(steps)))
    let correction2 = 1 - Float(pow(Double(b2), Double(steps)))
    let stepSize = lr / correction1
    let rootCorrection2 = correction2.squareRoot()
    let m = first.pointer
    let v = second.pointer
    let shrink = 1 - lr * decay
    for i in r {
      p[i] *= shrink
      m[i] = b1 * m[i] + (1 - b1) * g[i]
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
      p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
    }
  }

  /// The state to checkpoint: step count and moment buffers.
  public var state: OptimizerState {
    OptimizerState(
      steps: steps, first: Array(UnsafeBufferPointer(start: first.pointer, count: first.count)),
      second: Array(UnsafeBufferPointer(start: second.pointer, count: second.count)))
  }

  /// Restores a state saved from an optimiser of the same kind over the same parameters.
  public func restore(_ state: OptimizerState) throws(TrainingError) {
    guard state.first.count == first.count, state.second.count == second.count,
      state.steps >= 0
    else {
      throw .checkpointMismatch("optimizer state does not fit this network and optimizer")
    }
    steps = state.steps
    state.first.withUnsafeBufferPointer {
      first.pointer.update(from: $0.baseAddress!, count: $0.count)
    }
    state.second.withUnsafeBufferPointer {
      if let base = $0.baseAddress { second.pointer.update(from: base, count: $0.count) }
    }
  }
}
