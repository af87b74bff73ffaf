/// One sgemm check of ``BLASSelfTest``: random operands stored with `pad` extra columns.
struct GEMMCheck {
  let transA: Transpose
  let transB: Transpose
  let m: Int
  let n: Int
  let k: Int
  let alpha: Float
  let beta: Float
  let a: [Float]
  let b: [Float]
  let c: [Float]
  let lda: Int
  let ldb: Int
  let ldc: Int

  init(
    transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float, beta: Float,
    pad: Int, generator: inout SelfTestNumbers
  ) {
    (self.transA, self.transB, self.m, self.n, self.k) = (transA, transB, m, n, k)
    (self.alpha, self.beta) = (alpha, beta)
    let (rowsA, columnsA) = transA == .none ? (m, k) : (k, m)
    let (rowsB, columnsB) = transB == .none ? (k, n) : (n, k)
    (lda, ldb, ldc) = (columnsA + pad, columnsB + pad, n + pad)
    a = generator.array(rowsA * lda)
    b = generator.array(rowsB * ldb)
    c = generator.array(m * ldc)
  }

  func elementA(_ row: Int, _ column: Int) -> Float {
    transA == .none ? a[row * lda + column] : a[column * lda + row]
  }
  func elementB(_ row: Int, _ column: Int) -> Float {
    transB == .none ? b[row * ldb + column] : b[column * ldb + row]
  }

  /// A description of the first wrong element `gemm` computes, or nil.
  func failure(gemm: BLASSelfTest.GEMM) -> String? {
    var result = c
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        result.withUnsafeMutableBufferPointer { pc in
          gemm(
            transA, transB, m, n, k, alpha, pa.baseAddress!, lda, pb.baseAddress!, ldb, beta,
            pc.baseAddress!, ldc)
        }
      }
    }
    for row in 0..<m {
      for column in 0..<ldc {
        let index = row * ldc + column
        guard column < n else {
          // Padding past the n columns must stay as it was.
          if result[index] != c[index] { return describe(row, column, result[index], c[index]) }
          continue
        }
        var sum = 0.0
        var magnitude = 0.0
        for inner in 0..<k {
          let term = Double(elementA(row, inner)) * Double(elementB(inner, column))
          sum += term
          magnitude += abs(term)
        }
        let reference = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[index]))
        let scale = abs(Double(alpha)) * magnitude + abs(Double(beta) * Double(c[index]))
        if !BLASSelfTest.close(result[index], reference, magnitude: scale, terms: k) {
          return describe(row, column, result[index], Float(reference))
        }
      }
    }
    return nil
  }

  private func describe(_ row: Int, _ column: Int, _ got: Float, _ expected: Float) -> String {
    let t = (transA == .none ? "N" : "T") + (transB == .none ? "N" : "T")
    return "sgemm \(t) \(m)×\(n)×\(k): C[\(row),\(column)] = \(got), expected \(expected)"
  }
}
