/// What one forward or backward pass of a workspace is about.
struct StepContext {
  /// Images in this worker's part of the batch.
  var batch: Int
  /// Training (batch statistics, dropout) or evaluation (running statistics, no dropout).
  var training: Bool
  /// Index of this worker's first image within the whole batch, so random masks depend on the
  /// image, not on how the batch was split between workers.
  var imageOffset: Int
  /// Seed of this step's random masks.
  var seed: UInt64
  /// Threads a convolution may split its forward pass over (for small batches, where one
  /// GEMM per layer is too small for the batch to be split between workers).
  var threads: Int = 1
  /// The weights do not change between calls (inference only), so layers may keep transforms
  /// of them from one call to the next.
  var frozenWeights = false
}

/// One layer instantiated inside a ``Workspace``: it owns its output and input-gradient
/// buffers (sized for the workspace's maximum batch, allocated once) and points into the
/// network's parameters and the workspace's gradients for its own slices.
///
/// Activations are `[channels, batch, height, width]` with the actual batch `n` of the call
/// (so a channel's run is `n·H·W` long). Parameter gradients are accumulated (`+=`).
protocol Layer: AnyObject {
  /// This layer's output after ``forward(_:_:)``.
  var output: UnsafeMutablePointer<Float> { get }
  /// The gradient with respect to this layer's input after ``backward(_:_:_:inputGradient:)``
  /// with `inputGradient: true`.
  var inputGradient: UnsafeMutablePointer<Float> { get }
  /// Computes ``output`` from `input`.
  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext)
  /// Accumulates parameter gradients and, if asked, writes ``inputGradient``, given the input
  /// of the last forward pass and the gradient of the loss with respect to ``output``.
  func backward(
    _ input: UnsafeMutablePointer<Float>, _ outputGradient: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient: Bool)
}

/// A layer whose work another layer already did (a ReLU fused into the batch norm before it):
/// its output is its input and its input gradient is its output gradient, without copies.
final class PassThroughLayer: Layer {
  private var lastInput: UnsafeMutablePointer<Float>?
  private var lastGradient: UnsafeMutablePointer<Float>?

  var output: UnsafeMutablePointer<Float> { lastInput! }
  var inputGradient: UnsafeMutablePointer<Float> { lastGradient! }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    lastInput = input
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ outputGradient: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient: Bool
  ) {
    lastGradient = outputGradient
  }
}
