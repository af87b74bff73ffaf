import Foundation
import Tensor

/// A positive-semidefinite kernel `k(x, y)` for support vector machines.
public enum Kernel: Sendable, Equatable, Codable {
  /// `x·y`.
  case linear
  /// `(γ·x·y + coef0)^degree`.
  case polynomial(degree: Int, gamma: Double, coef0: Double)
  /// `exp(−γ·‖x − y‖²)`.
  case rbf(gamma: Double)

  /// The kernel applied to a dot product `x·y` and the squared norms `‖x‖²`, `‖y‖²`.
  @inlinable
  func value(dot: Float, normX: Float, normY: Float) -> Float {
    switch self {
    case .linear:
      return dot
    case .polynomial(let degree, let gamma, let coef0):
      return Float(pow(gamma * Double(dot) + coef0, Double(degree)))
    case .rbf(let gamma):
      // ‖x−y‖² = ‖x‖² + ‖y‖² − 2x·y can round slightly below 0 for near-equal points.
      return expf(-Float(gamma) * max(normX + normY - 2 * dot, 0))
    }
  }

  func validate() throws {
    switch self {
    case .linear:
      return
    case .polynomial(let degree, let gamma, let coef0):
      guard degree >= 1, gamma > 0, gamma.isFinite, coef0.isFinite else {
        throw ClassicalError.invalidOption(
          "polynomial kernel needs degree ≥ 1 and gamma > 0, got \(degree), \(gamma)")
      }
    case .rbf(let gamma):
      guard gamma > 0, gamma.isFinite else {
        throw ClassicalError.invalidOption("RBF gamma must be positive, got \(gamma)")
      }
    }
  }
}

/// Squared Euclidean norm of each row of `[rows, columns]` data.
func rowSquaredNorms(_ data: UnsafeBufferPointer<Float>, rows: Int, columns: Int) -> [Float] {
  (0..<rows).map { i in
    var sum: Float = 0
    for j in 0..<columns {
      let v = data[i * columns + j]
      sum += v * v
    }
    return sum
  }
}

/// Kernel values between rows of `a` `[m, d]` and rows of `b` `[n, d]`, written to `out` `[m, n]`:
/// one GEMM for the dot products (GEMV for one or two rows), then the kernel elementwise.
func kernelBlock(
  _ kernel: Kernel, a: UnsafePointer<Float>, normsA: UnsafePointer<Float>, m: Int,
  b: UnsafePointer<Float>, normsB: UnsafePointer<Float>, n: Int, d: Int,
  out: UnsafeMutablePointer<Float>
) {
  if m <= 2 {
    // One or two rows (an SMO cache miss): matrix-vector products. A GEMM would first pack
    // the whole [n, d] operand, which costs more than the product itself at this size.
    for i in 0..<m {
      sgemv(m: n, n: d, a: b, lda: d, x: a + i * d, y: out + i * n)
    }
  } else {
    sgemm(.none, .transposed, m: m, n: n, k: d, a: a, lda: d, b: b, ldb: d, c: out, ldc: n)
  }
  if case .linear = kernel { return }
  for i in 0..<m {
    let row = out + i * n
    let normX = normsA[i]
    for j in 0..<n { row[j] = kernel.value(dot: row[j], normX: normX, normY: normsB[j]) }
  }
}
