import Tensor
import Testing

@Suite struct TensorTests {
  @Test func validatingInitRejectsBadShapesWithoutTrapping() throws {
    let t = try Tensor(validatingShape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    #expect(t[1, 2] == 6)
    #expect(throws: TensorError.storageCountMismatch(shape: [2, 2], expected: 4, count: 3)) {
      try Tensor(validatingShape: [2, 2], storage: [1, 2, 3])
    }
    #expect(throws: TensorError.invalidShape([-1, 2])) {
      try Tensor(validatingShape: [-1, 2], storage: [])
    }
    #expect(throws: TensorError.invalidShape([1 << 40, 1 << 40])) {
      try Tensor(validatingShape: [1 << 40, 1 << 40], storage: [])
    }
  }

  @Test func identityAndFiniteness() {
    let eye = Tensor.identity(3)
    #expect(eye.storage == [1, 0, 0, 0, 1, 0, 0, 0, 1])
    #expect(eye.isFinite)
    #expect(!Tensor(shape: [2], storage: [1, .nan]).isFinite)
    #expect(!Tensor(shape: [2], storage: [-.infinity, 1]).isFinite)
    #expect(Tensor(shape: [0]).isFinite)
  }

  @Test func stridesAndReshape() {
    var t = Tensor(shape: [2, 3, 4])
    #expect(t.strides == [12, 4, 1])
    t.reshape([6, 4])
    #expect(t.shape == [6, 4])
    t.reshape([24])
    #expect(t.shape == [24] && t.count == 24)
  }
}

@Suite struct FinitenessTests {
  /// A single non-finite element anywhere (SIMD body or scalar tail) is found.
  @Test func findsOneBadElementAtAnyPosition() {
    for position in [0, 15, 16, 31, 32, 40] {
      for bad in [Float.nan, .infinity, -.infinity] {
        var t = Tensor(shape: [41], repeating: 3)
        #expect(t.isFinite)
        t.storage[position] = bad
        #expect(!t.isFinite, "\(bad) at \(position)")
      }
    }
  }
}
