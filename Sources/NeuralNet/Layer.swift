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
