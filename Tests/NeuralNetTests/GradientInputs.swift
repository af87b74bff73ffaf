import NeuralNet
import Tensor

/// A network spec of `layers` on a `c`×`h`×`w` input, for layer tests.
func layerTestSpec(_ c: Int, _ h: Int, _ w: Int, _ layers: [LayerSpec]) -> NetworkSpec {
  NetworkSpec(inputChannels: c, inputHeight: h, inputWidth: w, layers: layers)
}

/// Values with gaps of at least 0.05 (a random permutation of a grid), none within 0.025 of
/// zero, so a finite-difference step of 0.01 neither moves a max-pool winner nor crosses a
/// ReLU or PReLU kink.
func spacedTensor(_ shape: [Int], seed: UInt64) -> Tensor {
  let count = shape.reduce(1, *)
  var values = (0..<count).map { Float($0 - count / 2) * 0.05 + 0.025 }
  var rng = Xoshiro256(seed: seed)
  rng.shuffle(&values)
  return Tensor(shape: shape, storage: values)
}
