import Foundation
import Tensor
import TestSupport
import Testing

/// A tensor as the fixture script writes it: `{shape, data}` with float32 values as decimals.
struct FixtureTensor: Decodable {
  let shape: [Int]
  let data: [Double]
  var tensor: Tensor { Tensor(shape: shape, storage: data.map { Float($0) }) }
}

/// Decodes `Tests/TensorTests/Fixtures/<name>` (written by Scripts/fixtures/tensor_reference.py).
func loadFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
  let url = SharedData.fixture("TensorTests", name)
  return try JSONDecoder().decode(type, from: Data(contentsOf: url))
}

/// The largest `|a - e| / (atol + rtol * |e|)` over all elements: at most 1 means close.
func closeness(_ actual: [Float], _ expected: [Float], rtol: Float, atol: Float) -> Float {
  var worst: Float = 0
  for (a, e) in zip(actual, expected) {
    let ratio = abs(a - e) / (atol + rtol * abs(e))
    if !(ratio <= worst) { worst = ratio }  // NaN counts as worst
  }
  return worst
}

/// Expects equal shapes and elements within `atol + rtol * |expected|`.
func expectClose(
  _ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-5, atol: Float = 1e-6,
  _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.shape == expected.shape, comment, sourceLocation: sourceLocation)
  let ratio = closeness(actual.storage, expected.storage, rtol: rtol, atol: atol)
  #expect(ratio <= 1, comment, sourceLocation: sourceLocation)
}
