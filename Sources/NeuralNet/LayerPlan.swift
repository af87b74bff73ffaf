/// A layer spec resolved against its input shape: output shape, unique name and where its
/// parameters and state live in the network's flat stores. Built once by ``Network``; each
/// ``Workspace`` instantiates its layers from these plans.
final class LayerPlan: Sendable {
  let spec: LayerSpec
  /// State-dict prefix, e.g. `"3"` or `"12.body.0"`.
  let name: String
  /// Position in a depth-first walk; salts the dropout masks.
  let ordinal: Int
  let input: ActivationShape
  let output: ActivationShape
  /// Offsets into ``Network/parameters`` (weight, bias) and ``Network/state`` (running mean,
  /// running variance follows it).
  let weight: Int?
  let bias: Int?
  let runningStats: Int?
  let body: [LayerPlan]
  let shortcut: [LayerPlan]

  init(
    spec: LayerSpec, name: String, ordinal: Int, input: ActivationShape, output: ActivationShape,
    weight: Int? = nil, bias: Int? = nil, runningStats: Int? = nil, body: [LayerPlan] = [],
    shortcut: [LayerPlan] = []
  ) {
    self.spec = spec
    self.name = name
    self.ordinal = ordinal
    self.input = input
    self.output = output
    self.weight = weight
    self.bias = bias
    self.runningStats = runningStats
    self.body = body
    self.shortcut = shortcut
  }
}
