/// The layers of a ``NetworkSpec`` as ``Int8Network`` runs them: convolution stages (a
/// convolution, its optional batch norm, its ReLU, and an optional 2×2 max pool), then, after
/// the global average pool, dense layers. Dropout is ignored (inference).
struct Int8NetworkPlan: Sendable {
  struct Convolution: Sendable {
    /// Index of the convolution in the spec (its parameters are `"\(index).weight"`, ...).
    var index: Int
    var outputs: Int, kernel: Int, padding: Int, bias: Bool
    /// The batch norm's index and epsilon.
    var batchNorm: (index: Int, epsilon: Float)?
    /// Index of the ReLU: the spec's first `reluIndex + 1` layers give this stage's
    /// activation before pooling (calibration measures it there).
    var reluIndex: Int
    var pooled = false
  }

  struct Dense: Sendable {
    var index: Int, outputs: Int, bias: Bool
    var relu = false
  }

  var convolutions: [Convolution] = []
  var dense: [Dense] = []

  /// The plan of `spec`, or ``NetworkError/unsupported(_:)`` naming the first layer it cannot
  /// run.
  init(_ spec: NetworkSpec) throws(NetworkError) {
    guard spec.inputChannels == 1 else { throw .unsupported("the input must be grey") }
    var open: Convolution?  // a convolution still waiting for its ReLU
    var inHead = false
    for (i, layer) in spec.layers.enumerated() {
      func refuse(_ why: String) -> NetworkError { .unsupported("layer \(i) (\(layer)): \(why)") }
      switch layer {
      case .dropout: continue
      case .conv2d(let outputs, let kernel, let stride, let padding, let bias):
        guard !inHead, open == nil else { throw refuse("a convolution must follow a ReLU") }
        guard stride == 1, padding == 0 || (kernel % 2 == 1 && padding == kernel / 2) else {
          throw refuse("only stride 1 with padding 0 or kernel / 2")
        }
        open = Convolution(
          index: i, outputs: outputs, kernel: kernel, padding: padding, bias: bias,
          reluIndex: -1)
      case .batchNorm(_, let epsilon):
        guard var conv = open, conv.batchNorm == nil, conv.index == i - 1 else {
          throw refuse("a batch norm must follow a convolution")
        }
        conv.batchNorm = (i, epsilon)
        open = conv
      case .relu:
        if inHead {
          guard !dense.isEmpty, !dense[dense.count - 1].relu else { throw refuse("no dense layer") }
          dense[dense.count - 1].relu = true
        } else {
          guard var conv = open else { throw refuse("a ReLU must follow a convolution") }
          conv.reluIndex = i
          convolutions.append(conv)
          open = nil
        }
      case .maxPool(let kernel, let stride):
        guard kernel == 2, stride == 2, open == nil, !inHead,
          let last = convolutions.indices.last, !convolutions[last].pooled
        else { throw refuse("only one 2×2 max pool after a convolution's ReLU") }
        convolutions[last].pooled = true
      case .globalAvgPool:
        guard !inHead, open == nil, !convolutions.isEmpty else {
          throw refuse("the global pool must end the convolutions")
        }
        inHead = true
      case .flatten:
        guard inHead else { throw refuse("flatten only after the global pool") }
      case .dense(let outputs, let bias):
        guard inHead else { throw refuse("dense layers only after the global pool") }
        dense.append(Dense(index: i, outputs: outputs, bias: bias))
      default:
        throw refuse("no 8-bit form")
      }
    }
    guard inHead, !dense.isEmpty, !dense[dense.count - 1].relu else {
      throw .unsupported("the network must end in a global pool and dense layers giving logits")
    }
  }
}
