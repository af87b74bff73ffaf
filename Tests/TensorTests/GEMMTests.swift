import Tensor
import Testing

@Suite struct GEMMTests {
  struct Case: Decodable {
    let transposeA: Bool
    let transposeB: Bool
    let m: Int
    let n: Int
    let k: Int
    let alpha: Float
    let beta: Float
    let a: FixtureTensor
    let b: FixtureTensor
    let c: FixtureTensor
    let expected: FixtureTensor
  }
  struct Fixture: Decodable {
    let cases: [Case]
  }

  @Test func smallProductMatchesHandComputed() {
    let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
    #expect(a.matmul(b).storage == [58, 64, 139, 154])
    #expect(a.matmul(a, transposeOther: true).storage == [14, 32, 32, 77])
    #expect(a.matmul(a, transposeSelf: true).shape == [3, 3])
  }

  @Test func allTranspositionsAndShapesMatchNumPy() throws {
    let fixture = try loadFixture("gemm.json", as: Fixture.self)
    #expect(fixture.cases.count == 20)
    for item in fixture.cases {
      let label = Comment(
        rawValue: "m=\(item.m) n=\(item.n) k=\(item.k) tA=\(item.transposeA) tB=\(item.transposeB)")
      let (a, b) = (item.a.tensor, item.b.tensor)
      // matmul is the alpha 1, beta 0 case.
      if item.alpha == 1 && item.beta == 0 {
        let product = a.matmul(b, transposeSelf: item.transposeA, transposeOther: item.transposeB)
        expectClose(product, item.expected.tensor, rtol: 1e-5, atol: 1e-5, label)
      }
      // Pointer-level sgemm into a C with a wider row stride, leaving the padding untouched.
      let ldc = item.n + 3
      var padded = [Float](repeating: 42, count: item.m * ldc)
      let initial = item.c.tensor.storage
      for row in 0..<item.m {
        for column in 0..<item.n { padded[row * ldc + column] = initial[row * item.n + column] }
      }
      a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
          padded.withUnsafeMutableBufferPointer { pc in
            sgemm(
              item.transposeA ? .transposed : .none, item.transposeB ? .transposed : .none,
              m: item.m, n: item.n, k: item.k, alpha: item.alpha, a: pa.baseAddress!,
              lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1], beta: item.beta,
              c: pc.baseAddress!, ldc: ldc)
          }
        }
      }
      var compact = [Float]()
      for row in 0..<item.m {
        compact += padded[(row * ldc)..<(row * ldc + item.n)]
        #expect(padded[(row * ldc + item.n)..<((row + 1) * ldc)].allSatisfy { $0 == 42 }, label)
      }
      #expect(closeness(compact, item.expected.tensor.storage, rtol: 1e-5, atol: 1e-5) <= 1, label)
    }
  }

  @Test func emptyProductsAreZeroOrScaled() {
    let a = Tensor(shape: [3, 0])
    let b = Tensor(shape: [0, 2])
    #expect(a.matmul(b) == Tensor(shape: [3, 2]))
    // An inner dimension of 0 leaves beta · C.
    var c = [Float](repeating: 4, count: 6)
    let none: [Float] = [0]
    none.withUnsafeBufferPointer { p in
      c.withUnsafeMutableBufferPointer { pc in
        sgemm(
          .none, .none, m: 3, n: 2, k: 0, a: p.baseAddress!, lda: 1, b: p.baseAddress!, ldb: 2,
          beta: 0.5, c: pc.baseAddress!, ldc: 2)
      }
    }
    #expect(c == [Float](repeating: 2, count: 6))
    #expect(Tensor(shape: [0, 4]).matmul(Tensor(shape: [4, 5])).shape == [0, 5])
  }

  @Test func threadCountIsSettable() {
    #expect(ThreadPolicy(workers: 0, blasThreads: -2) == ThreadPolicy(workers: 1, blasThreads: 1))
    #expect(ThreadPolicy.workers(3) == ThreadPolicy(workers: 3, blasThreads: 1))
    #expect(ThreadPolicy.blas(2) == ThreadPolicy(workers: 1, blasThreads: 2))
    let before = BLAS.threads
    ThreadPolicy.workers(3).configureProcess()
    #expect(BLAS.threads == 1)
    ThreadPolicy.blas(before).configureProcess()
    #expect(!BLAS.coreName.isEmpty)
  }
}
