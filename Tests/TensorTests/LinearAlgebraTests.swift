import Tensor
import Testing

@Suite struct LinearAlgebraTests {
  struct SVDCase: Decodable {
    let a, u, s, vt: FixtureTensor
  }
  struct Fixture: Decodable {
    let symmetric, eigenvalues, eigenvectors: FixtureTensor
    let indefinite, indefiniteEigenvalues, indefiniteEigenvectors: FixtureTensor
    let svd: [String: SVDCase]
  }

  /// Column `j` of a rank-2 tensor.
  func column(_ t: Tensor, _ j: Int) -> [Float] { (0..<t.shape[0]).map { t[$0, j] } }
  func row(_ t: Tensor, _ i: Int) -> [Float] { (0..<t.shape[1]).map { t[i, $0] } }
  func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

  /// Eigenvectors agree up to sign: |dot| of unit vectors is 1.
  func expectSameDirections(
    _ actual: Tensor, _ expected: Tensor, columns: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for j in 0..<columns {
      let d = abs(dot(column(actual, j), column(expected, j)))
      #expect(abs(d - 1) < 1e-4, "column \(j): |dot| = \(d)", sourceLocation: sourceLocation)
    }
  }

  @Test func fullEigendecompositionMatchesNumPy() throws {
    let f = try loadFixture("linalg.json", as: Fixture.self)
    for (matrix, values, vectors) in [
      (f.symmetric, f.eigenvalues, f.eigenvectors),
      (f.indefinite, f.indefiniteEigenvalues, f.indefiniteEigenvectors),
    ] {
      let a = matrix.tensor
      let eigen = try a.symmetricEigen()
      let n = a.shape[0]
      #expect(eigen.vectors.shape == [n, n])
      expectClose(eigen.values, values.tensor, rtol: 1e-5, atol: 1e-5)
      expectSameDirections(eigen.vectors, vectors.tensor, columns: n)
      // A·v = λ·v for each pair, and the vectors are orthonormal.
      let av = a.matmul(eigen.vectors)
      var lv = eigen.vectors
      lv.multiplyInPlace(eigen.values, alongAxis: 1)
      expectClose(av, lv, rtol: 1e-4, atol: 1e-5)
      expectClose(
        eigen.vectors.matmul(eigen.vectors, transposeSelf: true), .identity(n), atol: 1e-5)
      // The sign convention: each column's largest-magnitude entry is positive.
      for j in 0..<n {
        let v = column(eigen.vectors, j)
        #expect(v.max(by: { abs($0) < abs($1) })! > 0)
      }
    }
  }

  @Test func topKEigenpairsMatchTheLargest() throws {
    let f = try loadFixture("linalg.json", as: Fixture.self)
    let full = try f.symmetric.tensor.symmetricEigen()
    for k in [1, 3, 5] {
      let top = try f.symmetric.tensor.symmetricEigen(top: k)
      #expect(top.values.shape == [k])
      #expect(top.vectors.shape == [6, k])
      expectClose(
        top.values,
        Tensor(shape: [k], storage: Array(f.eigenvalues.data.prefix(k).map(Float.init))),
        rtol: 1e-5, atol: 1e-5)
      expectSameDirections(top.vectors, f.eigenvectors.tensor, columns: k)
      // The same sign convention as the full decomposition.
      for j in 0..<k {
        #expect(dot(column(top.vectors, j), column(full.vectors, j)) > 0.999)
      }
    }
    let negative = try f.indefinite.tensor.symmetricEigen(top: 2)
    expectClose(
      negative.values,
      Tensor(shape: [2], storage: f.indefiniteEigenvalues.data.prefix(2).map(Float.init)),
      rtol: 1e-5, atol: 1e-5)
  }

  @Test func thinSVDMatchesNumPyAndReconstructs() throws {
    let f = try loadFixture("linalg.json", as: Fixture.self)
    #expect(f.svd.count == 2)
    for (name, item) in f.svd {
      let a = item.a.tensor
      let svd = try a.svd()
      let r = min(a.shape[0], a.shape[1])
      #expect(svd.u.shape == [a.shape[0], r], "\(name)")
      #expect(svd.vt.shape == [r, a.shape[1]], "\(name)")
      expectClose(svd.singularValues, item.s.tensor, rtol: 1e-5, atol: 1e-5, "\(name)")
      expectSameDirections(svd.u, item.u.tensor, columns: r)
      expectSameDirections(svd.vt.transposed(), item.vt.tensor.transposed(), columns: r)
      var us = svd.u
      us.multiplyInPlace(svd.singularValues, alongAxis: 1)
      expectClose(us.matmul(svd.vt), a, rtol: 1e-4, atol: 1e-5, "\(name) reconstruction")
    }
  }

  @Test func fullSVDHasOrthogonalSquareFactors() throws {
    let f = try loadFixture("linalg.json", as: Fixture.self)
    let a = try #require(f.svd["tall"]).a.tensor  // [7, 4]
    let svd = try a.svd(full: true)
    #expect(svd.u.shape == [7, 7])
    #expect(svd.vt.shape == [4, 4])
    expectClose(svd.u.matmul(svd.u, transposeSelf: true), .identity(7), atol: 1e-5)
    expectClose(svd.vt.matmul(svd.vt, transposeOther: true), .identity(4), atol: 1e-5)
    let thin = try a.svd()
    #expect(svd.singularValues == thin.singularValues)
  }

  @Test func badInputsThrowTypedErrors() {
    let square = Tensor(shape: [2, 2], storage: [1, 2, 2, 1])
    #expect(throws: TensorError.notSquare(operation: "symmetricEigen", shape: [2, 3])) {
      try Tensor(shape: [2, 3]).symmetricEigen()
    }
    #expect(throws: TensorError.rankMismatch(operation: "svd", expected: 2, shape: [4])) {
      try Tensor(shape: [4]).svd()
    }
    #expect(throws: TensorError.empty(operation: "symmetricEigen", shape: [0, 0])) {
      try Tensor(shape: [0, 0]).symmetricEigen()
    }
    #expect(throws: TensorError.nonFinite(operation: "svd")) {
      try Tensor(shape: [2, 2], storage: [1, .nan, 0, 1]).svd()
    }
    #expect(throws: TensorError.nonFinite(operation: "symmetricEigen")) {
      try Tensor(shape: [2, 2], storage: [1, .infinity, .infinity, 1]).symmetricEigen()
    }
    #expect(throws: TensorError.self) { try square.symmetricEigen(top: 0) }
    #expect(throws: TensorError.self) { try square.symmetricEigen(top: 3) }
    #expect(TensorError.lapack(routine: "sgesdd", info: 3).description.contains("converge"))
    #expect(TensorError.lapack(routine: "ssyevd", info: -4).description.contains("argument 4"))
  }
}
