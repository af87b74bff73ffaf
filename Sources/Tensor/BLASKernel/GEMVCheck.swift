/// One sgemv check of ``BLASSelfTest``: `y = alpha · op(A) · x + beta · y` with strided vectors.
struct GEMVCheck {
  let trans: Transpose
  let m: Int
  let n: Int
  let alpha: Float
  let beta: Float
  let incx: Int
  let incy: Int
  let a: [Float]
  let x: [Float]
  let y: [Float]

  init(
    trans: Transpose, m: Int, n: Int, alpha: Float, beta: Float, incx: Int, incy: Int,
    generator: inout SelfTestNumbers
  ) {
    (self.trans, self.m, self.n, self.alpha, self.beta) = (trans, m, n, alpha, beta)
    (self.incx, self.incy) = (incx, incy)
    let (inputs, outputs) = trans == .none ? (n, m) : (m, n)
    a = generator.array(m * n)
    x = generator.array((inputs - 1) * incx + 1)
    y = generator.array((outputs - 1) * incy + 1)
  }

  /// A description of the first wrong element `gemv` computes, or nil.
  func failure(gemv: BLASSelfTest.GEMV) -> String? {
    var result = y
    a.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        result.withUnsafeMutableBufferPointer { py in
          gemv(
            trans, m, n, alpha, pa.baseAddress!, n, px.baseAddress!, incx, beta, py.baseAddress!,
            incy)
        }
      }
    }
    let inputs = trans == .none ? n : m
    for index in 0..<result.count {
      guard index % incy == 0 else {
        if result[index] != y[index] { return describe(index, result[index], y[index]) }
        continue
      }
      let output = index / incy
      var sum = 0.0
      var magnitude = 0.0
      for input in 0..<inputs {
        let element = trans == .none ? a[output * n + input] : a[input * n + output]
        let term = Double(element) * Double(x[input * incx])
        sum += term
        magnitude += abs(term)
      }
      let reference = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(y[index]))
      let scale = abs(Double(alpha)) * magnitude + abs(Double(beta) * Double(y[index]))
      if !BLASSelfTest.close(result[index], reference, magnitude: scale, terms: inputs) {
        return describe(index, result[index], Float(reference))
      }
    }
    return nil
  }

  private func describe(_ index: Int, _ got: Float, _ expected: Float) -> String {
    let t = trans == .none ? "N" : "T"
    return
      "sgemv \(t) \(m)×\(n) incx \(incx) incy \(incy): y[\(index)] = \(got), expected \(expected)"
  }
}
