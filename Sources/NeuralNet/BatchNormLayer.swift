import Tensor

/// Batch normalisation per channel; each channel of a `[C, n, H, W]` batch is one contiguous
/// run of `n·H·W` values. Training normalises with the batch mean and biased variance and
/// keeps them (``batchMean``, ``batchVariance``) for ``Network/updateRunningStatistics(from:)``;
/// evaluation uses the running statistics.
///
/// With ``fusedReLU`` the layer also applies the ReLU that follows it (the workspace then
/// puts a pass-through in the ReLU's place): one pass instead of two each way.
final class BatchNormLayer: Layer {
  var fusedReLU = false
  let channels: Int
  let plane: Int
  let momentum: Float
  let epsilon: Float
  let gamma: UnsafeMutablePointer<Float>
  let beta: UnsafeMutablePointer<Float>
  let gammaGradient: UnsafeMutablePointer<Float>
  let betaGradient: UnsafeMutablePointer<Float>
  let runningMean: UnsafeMutablePointer<Float>
  let runningVariance: UnsafeMutablePointer<Float>
  let runningStatsOffset: Int
  let batchMean: UnsafeMutablePointer<Float>
  let batchVariance: UnsafeMutablePointer<Float>
  /// `1/√(variance + ε)` used by the last forward pass, per channel.
  private let inverseStd: UnsafeMutablePointer<Float>
  /// The mean used by the last forward pass, per channel.
  private let center: UnsafeMutablePointer<Float>
  /// Values per channel in the last training batch (`n·H·W`).
  private(set) var lastCount = 0
  private var lastTraining = true
  private let stats: FloatBuffer
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// The values of a `batchNorm` spec, and its plan for the shapes and parameter offsets.
  init(
    momentum: Float, epsilon: Float, plan: LayerPlan, parameters: UnsafeMutablePointer<Float>,
    gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>, maxBatch: Int
  ) {
    channels = plan.input.channels
    plane = plan.input.planeSize
    self.momentum = momentum
    self.epsilon = epsilon
    gamma = parameters + plan.weight!
    beta = parameters + plan.bias!
    gammaGradient = gradients + plan.weight!
    betaGradient = gradients + plan.bias!
    runningStatsOffset = plan.runningStats!
    runningMean = state + plan.runningStats!
    runningVariance = runningMean + channels
    stats = FloatBuffer(count: 4 * channels)
    batchMean = stats.pointer
    batchVariance = stats.pointer + channels
    inverseStd = stats.pointer + 2 * channels
    center = stats.pointer + 3 * channels
    out = FloatBuffer(count: maxBatch * plan.input.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let run = context.batch * plane
    lastTraining = context.training
    if context.training { lastCount = run }
    for c in 0..<channels {
      let x = input + c * run
      if context.training {
        let mean = Float(VectorMath.sum(x, run) / Double(run))
        let variance = Float(VectorMath.sumOfSquares(x, run, around: mean) / Double(run))
        batchMean[c] = mean
        batchVariance[c] = variance
        center[c] = mean
        inverseStd[c] = 1 / (variance + epsilon).squareRoot()
      } else {
        center[c] = runningMean[c]
        inverseStd[c] = 1 / (runningVariance[c] + epsilon).squareRoot()
      }
      let scale = gamma[c] * inverseStd[c]
      let shift = beta[c] - center[c] * scale
      let y = output + c * run
      if fusedReLU {
        for i in 0..<run { y[i] = max(x[i] * scale + shift, 0) }
      } else {
        for i in 0..<run { y[i] = x[i] * scale + shift }
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    let run = context.batch * plane
    for c in 0..<channels {
      let x = input + c * run
      let dy = dOut + c * run
      let mean = center[c]
      let invStd = inverseStd[c]
      let y = output + c * run
      let (sumDy, centeredDot) =
        fusedReLU
        ? VectorMath.gatedSumAndCenteredDot(dy, gate: y, x, run, center: mean)
        : VectorMath.sumAndCenteredDot(dy, x, run, center: mean)
      let sumDyXhat = centeredDot * Double(invStd)
      betaGradient[c] += Float(sumDy)
      gammaGradient[c] += Float(sumDyXhat)
      guard wantInput else { continue }
      let dx = inputGradient + c * run
      let g = gamma[c] * invStd
      if lastTraining {
        // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy·x̂))
        let meanDy = Float(sumDy / Double(run))
        let k = Float(sumDyXhat / Double(run)) * invStd
        if fusedReLU {
          for i in 0..<run {
            let gated = y[i] > 0 ? dy[i] : 0
            dx[i] = g * (gated - meanDy - (x[i] - mean) * k)
          }
        } else {
          for i in 0..<run { dx[i] = g * (dy[i] - meanDy - (x[i] - mean) * k) }
        }
      } else if fusedReLU {
        for i in 0..<run { dx[i] = y[i] > 0 ? g * dy[i] : 0 }
      } else {
        for i in 0..<run { dx[i] = g * dy[i] }
      }
    }
  }
}
