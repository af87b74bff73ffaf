import Tensor
import Testing

@Suite struct ElementwiseTests {
  let x = Tensor(shape: [2, 3], storage: [1, -2, 3, 0.5, 4, -6])
  let y = Tensor(shape: [2, 3], storage: [2, 2, -1, 4, 0.25, 3])

  /// The expected result of an elementwise op, applied element by element with Swift scalars.
  func reference(_ f: (Float, Float) -> Float) -> [Float] { zip(x.storage, y.storage).map(f) }

  @Test func binaryOperatorsAndInPlaceFormsAgree() {
    #expect((x + y).storage == reference(+))
    #expect((x - y).storage == reference(-))
    #expect((x * y).storage == reference(*))
    #expect((x / y).storage == reference(/))
    var z = x
    z += y
    #expect(z.storage == reference(+))
    z = x
    z -= y
    #expect(z.storage == reference(-))
    z = x
    z *= y
    #expect(z.storage == reference(*))
    #expect((x + y).shape == [2, 3])
  }

  @Test func scalarOperations() {
    #expect((x * 2).storage == x.storage.map { $0 * 2 })
    #expect((2 * x).storage == x.storage.map { $0 * 2 })
    #expect((x + 1.5).storage == x.storage.map { $0 + 1.5 })
    #expect((x - 1.5).storage == x.storage.map { $0 - 1.5 })
    #expect((-x).storage == x.storage.map { -$0 })
    var z = x
    z.scaleInPlace(-3)
    #expect(z.storage == x.storage.map { $0 * -3 })
    z = x
    z *= 0.5
    #expect(z.storage == x.storage.map { $0 * 0.5 })
    z.fill(7)
    #expect(z.storage == [Float](repeating: 7, count: 6))
    z = x
    z.addInPlace(Float(2))
    #expect(z.storage == x.storage.map { $0 + 2 })
  }

  @Test func axpyAndAxpby() {
    var z = x
    z.addInPlace(y, scaledBy: -0.5)
    #expect(z.storage == reference { $0 - 0.5 * $1 })
    z = x
    z.scaleInPlace(0.9, adding: y, scaledBy: 2)
    #expect(closeness(z.storage, reference { 0.9 * $0 + 2 * $1 }, rtol: 1e-6, atol: 1e-6) <= 1)
    // A large buffer goes through the same BLAS path with every element updated.
    var big = Tensor(shape: [1000], repeating: 1)
    big.addInPlace(Tensor(shape: [1000], repeating: 3), scaledBy: 2)
    #expect(big.storage.allSatisfy { $0 == 7 })
  }

  @Test func mapAndZipMap() {
    #expect(x.map { $0 * $0 }.storage == x.storage.map { $0 * $0 })
    #expect(x.zipMap(y) { Swift.max($0, $1) }.storage == reference { Swift.max($0, $1) })
    var z = x
    z.mapInPlace { Swift.max($0, 0) }
    #expect(z.storage == [1, 0, 3, 0.5, 4, 0])
    z.zipMapInPlace(y) { $0 * 10 + $1 }
    #expect(z.storage == [12, 2, 29, 9, 40.25, 3])
  }

  @Test func copiesDoNotShareStorage() {
    let original = x
    var copy = x
    copy.addInPlace(y)
    copy.addInPlace(y, scaledBy: 1)
    #expect(original == x)
    #expect(copy != x)
  }
}
