import Tensor

/// The definition of a convolution, one multiply-add at a time in `Double`: the reference the
/// fast algorithms are tested against, never used by a network.
///
/// `y[o, i, oy, ox] = Σ_{c, ky, kx} W[o, c, ky, kx] · x[c, i, oy·sy − py + ky, ox·sx − px + kx]`,
/// with positions outside the input reading as zero; the gradients follow by the chain rule.
public final class ReferenceConvolution: ConvolutionAlgorithm {
  public let geometry: ConvGeometry
  public let outputs: Int
  public var scratchSize: Int { 0 }

  /// Any valid geometry.
  public init(geometry: ConvGeometry, outputs: Int) {
    self.geometry = geometry
    self.outputs = outputs
  }

  /// Calls `body(o, c, ky, kx, i, oy, ox, inputIndex, outputIndex)` for every term of the sum
  /// whose input position lies inside the input.
  private func forEachTerm(
    batch n: Int, _ body: (_ weightIndex: Int, _ inputIndex: Int, _ outputIndex: Int) -> Void
  ) {
    let g = geometry
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    for o in 0..<outputs {
      for i in 0..<n {
        for oy in 0..<oh {
          for ox in 0..<ow {
            let outputIndex = ((o * n + i) * oh + oy) * ow + ox
            for c in 0..<g.channels {
              for ky in 0..<g.kernelHeight {
                let y = oy * g.strideY - g.paddingY + ky
                guard y >= 0, y < g.height else { continue }
                for kx in 0..<g.kernelWidth {
                  let x = ox * g.strideX - g.paddingX + kx
                  guard x >= 0, x < g.width else { continue }
                  let weightIndex =
                    ((o * g.channels + c) * g.kernelHeight + ky) * g.kernelWidth + kx
                  body(weightIndex, ((c * n + i) * g.height + y) * g.width + x, outputIndex)
                }
              }
            }
          }
        }
      }
    }
  }

  public func forward(
    _ x: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int,
    frozenWeights: Bool
  ) {
    let count = outputs * n * geometry.outputHeight * geometry.outputWidth
    var sums = [Double](repeating: 0, count: count)
    forEachTerm(batch: n) { w, xi, yi in sums[yi] += Double(weight[w]) * Double(x[xi]) }
    for j in 0..<count { y[j] = Float(sums[j]) }
  }

  public func accumulateWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, batch n: Int,
    into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    var sums = [Double](repeating: 0, count: outputs * geometry.patchSize)
    forEachTerm(batch: n) { w, xi, yi in sums[w] += Double(dy[yi]) * Double(x[xi]) }
    for j in sums.indices { dW[j] += Float(sums[j]) }
  }

  public func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let count = geometry.channels * n * geometry.height * geometry.width
    var sums = [Double](repeating: 0, count: count)
    forEachTerm(batch: n) { w, xi, yi in sums[xi] += Double(weight[w]) * Double(dy[yi]) }
    for j in 0..<count { dx[j] = Float(sums[j]) }
  }
}
