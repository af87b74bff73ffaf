import Tensor

/// Everything one worker needs to run a ``Network`` forward and backward on up to
/// ``maxBatch`` images: an instance of every layer with its activation and gradient buffers,
/// one ``ScratchArena`` its convolutions share, and a flat ``gradients`` buffer laid out like
/// ``Network/parameters``. All memory is allocated here, once; passes allocate nothing.
///
/// A workspace is used by one thread at a time. Several workspaces of one network may run
/// concurrently (each reads the shared parameters and writes only its own buffers).
public final class Workspace: @unchecked Sendable {
  /// The network whose parameters this workspace reads.
  public let network: Network
  /// The largest batch a pass accepts.
  public let maxBatch: Int
  /// Gradient of the loss with respect to every parameter, accumulated by
  /// ``backward(outputGradient:batch:inputGradient:)`` until ``zeroGradients()``.
  public var gradients: UnsafeMutablePointer<Float> { gradientBuffer.pointer }
  let batchNorms: [BatchNormLayer]
  private let gradientBuffer: FloatBuffer
  private let inputBuffer: FloatBuffer
  private let scratch = ScratchArena()
  private let root: SequenceLayer
  private var context = StepContext(batch: 0, training: false, imageOffset: 0, seed: 0)

  /// Whether this workspace only runs forward (inference): see
  /// ``init(network:maxBatch:columnTarget:forwardOnly:)``.
  public let forwardOnly: Bool

  /// Builds the layers for batches of up to `maxBatch` images. `columnTarget` is the number of
  /// im2col columns (output pixels) a convolution processes per GEMM; images are grouped into
  /// chunks of about that many. A `forwardOnly` workspace (a served model) has no backward
  /// pass: its convolutions may use algorithms without gradients (Winograd F(4×4, 3×3)), and
  /// ``backward(outputGradient:inputGradient:)`` stops the program.
  public init(
    network: Network, maxBatch: Int, columnTarget: Int = 2048, forwardOnly: Bool = false
  ) throws(NetworkError) {
    guard maxBatch > 0, maxBatch <= 1 << 16 else {
      throw .batchSize(requested: maxBatch, maximum: 1 << 16)
    }
    // Two buffers (output and input gradient) per layer, plus im2col scratch.
    let elements = Double(network.activationSize) * Double(maxBatch) * 2
    guard elements <= Double(1 << 31) else {
      throw .tooLarge(
        "a workspace for \(maxBatch) images would need \(Int(elements) >> 28) GiB; use a smaller batch"
      )
    }
    self.network = network
    self.maxBatch = maxBatch
    self.forwardOnly = forwardOnly
    gradientBuffer = FloatBuffer(count: network.parameters.count)
    inputBuffer = FloatBuffer(count: maxBatch * network.inputShape.size)
    var norms: [BatchNormLayer] = []
    let builder = LayerBuilder(
      parameters: network.parameters.values, gradients: gradientBuffer.pointer,
      state: network.state.values, scratch: scratch, maxBatch: maxBatch,
      columnTarget: columnTarget, forwardOnly: forwardOnly)
    root = builder.sequence(network.plans, batchNorms: &norms)
    scratch.allocate()
    batchNorms = norms
  }

  /// Set when the network's weights will not change while this workspace is used (a served
  /// model): evaluation passes then reuse the Winograd transforms of the convolution kernels
  /// instead of recomputing them on every call. Training passes never reuse them.
  public var frozenWeights = false

  /// Whether to time each top-level layer (see ``profile``).
  public var profiling: Bool {
    get { root.profile != nil }
    set {
      root.profile = newValue ? Array(repeating: (0, 0), count: root.layers.count) : nil
    }
  }

  /// Accumulated forward and backward thread-CPU seconds of each top-level layer since
  /// ``profiling`` was switched on, with the layer's spec and shapes.
  public var profile: [LayerProfile] {
    guard let times = root.profile else { return [] }
    return zip(network.plans, times).map {
      LayerProfile(
        layer: $0.spec, input: $0.input, output: $0.output, forwardSeconds: $1.0,
        backwardSeconds: $1.1)
    }
  }

  /// Sets every gradient to zero.
  public func zeroGradients() { gradientBuffer.zero() }

  /// Runs the network on `batch` images given NCHW in `images`
  /// (`batch · inputShape.size` floats). Returns the output `[C, batch, H, W]` (for a
  /// classifier `[classes, batch]`: one column of logits per image), valid until the next pass.
  ///
  /// In training, batch norms use this batch's statistics and dropout draws masks from
  /// `seed`; `imageOffset` is the index of the first image in the whole batch when several
  /// workers share one (so masks follow images, not the split).
  ///
  /// `threads` > 1 splits each convolution's im2col and GEMM between that many threads (by
  /// channels and output channels); meant for single images, with OpenBLAS single-threaded.
  public func forward(
    images: UnsafePointer<Float>, batch: Int, training: Bool, imageOffset: Int = 0,
    seed: UInt64 = 0, threads: Int = 1
  ) throws(NetworkError) -> UnsafeMutablePointer<Float> {
    guard batch > 0, batch <= maxBatch else {
      throw .batchSize(requested: batch, maximum: maxBatch)
    }
    context = StepContext(
      batch: batch, training: training, imageOffset: imageOffset, seed: seed,
      threads: max(1, min(threads, 8)), frozenWeights: frozenWeights && !training)
    let shape = network.inputShape
    let plane = shape.planeSize
    if shape.channels == 1 {
      inputBuffer.pointer.update(from: images, count: batch * plane)
    } else {
      for i in 0..<batch {
        for c in 0..<shape.channels {
          (inputBuffer.pointer + (c * batch + i) * plane).update(
            from: images + (i * shape.channels + c) * plane, count: plane)
        }
      }
    }
    root.forward(inputBuffer.pointer, context)
    return root.output
  }

  /// Back-propagates `outputGradient` (the loss gradient with respect to the last forward
  /// pass's output, `[C, batch, H, W]` like that output) and adds the parameter gradients to
  /// ``gradients``. With `inputGradient`, also returns the gradient with respect to the input
  /// images, NCHW.
  @discardableResult
  public func backward(
    outputGradient: UnsafePointer<Float>, inputGradient: Bool = false
  ) -> [Float]? {
    precondition(!forwardOnly, "a forward-only (inference) workspace has no backward pass")
    let batch = context.batch
    guard batch > 0 else { return nil }
    root.backward(
      inputBuffer.pointer, UnsafeMutablePointer(mutating: outputGradient), context,
      inputGradient: inputGradient)
    guard inputGradient else { return nil }
    let shape = network.inputShape
    let plane = shape.planeSize
    var result = [Float](repeating: 0, count: batch * shape.size)
    let source = root.inputGradient
    result.withUnsafeMutableBufferPointer { out in
      for i in 0..<batch {
        for c in 0..<shape.channels {
          (out.baseAddress! + (i * shape.channels + c) * plane).update(
            from: source + (c * batch + i) * plane, count: plane)
        }
      }
    }
    return result
  }
}
