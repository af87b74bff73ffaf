import CBLAS

/// A numerical check of the BLAS kernels in use: sgemm at small and medium odd sizes with every
/// transposition, padded leading dimensions and non-trivial alpha and beta, and sgemv both ways
/// with strides, each compared with a naive product in Double. About a millisecond.
public enum BLASSelfTest {
  /// `C = alpha · op(A) · op(B) + beta · C`, row-major, as ``sgemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
  public typealias GEMM =
    @Sendable (
      _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
      _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) -> Void
  /// `y = alpha · op(A) · x + beta · y`, row-major `A` of `m` rows and `n` columns.
  public typealias GEMV =
    @Sendable (
      _ trans: Transpose, _ m: Int, _ n: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
      _ lda: Int, _ x: UnsafePointer<Float>, _ incx: Int, _ beta: Float,
      _ y: UnsafeMutablePointer<Float>, _ incy: Int
    ) -> Void

  /// OpenBLAS's `cblas_sgemm`.
  public static let openBLASGEMM: GEMM = {
    transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
    cblas_sgemm(
      CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha, a,
      Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// OpenBLAS's `cblas_sgemv`.
  public static let openBLASGEMV: GEMV = { trans, m, n, alpha, a, lda, x, incx, beta, y, incy in
    cblas_sgemv(
      CblasRowMajor, trans.cblas, Int32(m), Int32(n), alpha, a, Int32(lda), x, Int32(incx), beta,
      y, Int32(incy))
  }

  /// `(m, n, k)` of the sgemm checks: edge cases of the micro-kernels, and one product large
  /// enough for OpenBLAS to split between threads.
  static let gemmShapes = [
    (1, 1, 1), (2, 3, 4), (7, 5, 3), (17, 13, 9), (33, 31, 35), (61, 47, 53), (67, 71, 73),
  ]
  /// `(m, n)` of the sgemv checks.
  static let gemvShapes = [(1, 1), (5, 3), (37, 53), (64, 129)]
  /// `(alpha, beta)` pairs, used in turn.
  static let scalings: [(Float, Float)] = [(1, 0), (0.75, 0.5), (-1.25, 1)]

  /// Runs every check with `gemm` and `gemv` (OpenBLAS's unless a test passes others); stops at
  /// the first wrong result.
  public static func run(
    gemm: GEMM = openBLASGEMM, gemv: GEMV = openBLASGEMV
  ) -> BLASSelfTestResult {
    var generator = SelfTestNumbers(seed: 0x5EED)
    var checks = 0
    for (m, n, k) in gemmShapes {
      for transA in [Transpose.none, .transposed] {
        for transB in [Transpose.none, .transposed] {
          checks += 1
          let (alpha, beta) = scalings[checks % scalings.count]
          let pad = checks % 2 == 0 ? 0 : 3
          let check = GEMMCheck(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta, pad: pad,
            generator: &generator)
          if let failure = check.failure(gemm: gemm) {
            return BLASSelfTestResult(checks: checks, failure: failure)
          }
        }
      }
    }
    for (m, n) in gemvShapes {
      for trans in [Transpose.none, .transposed] {
        checks += 1
        let (alpha, beta) = scalings[checks % scalings.count]
        let check = GEMVCheck(
          trans: trans, m: m, n: n, alpha: alpha, beta: beta, incx: 1 + checks % 2,
          incy: 1 + 2 * (checks % 2), generator: &generator)
        if let failure = check.failure(gemv: gemv) {
          return BLASSelfTestResult(checks: checks, failure: failure)
        }
      }
    }
    return BLASSelfTestResult(checks: checks, failure: nil)
  }

  /// Whether `value` is within the rounding error a Float32 sum of `terms` can make of
  /// `reference` (their absolute values' sum is `magnitude`).
  static func close(_ value: Float, _ reference: Double, magnitude: Double, terms: Int) -> Bool {
    guard value.isFinite else { return false }
    let tolerance = 4 * Double(terms + 2) * Double(Float.ulpOfOne) * magnitude + 1e-30
    return abs(Double(value) - reference) <= tolerance
  }
}

/// The outcome of ``BLASSelfTest/run(gemm:gemv:)``.
public struct BLASSelfTestResult: Sendable, Equatable, Codable {
  /// How many products were checked (up to and including a failing one).
  public var checks: Int
  /// The first wrong product, e.g. `sgemm NT 17×13×9: C[3,4] = 1.2, expected 0.8`; nil if none.
  public var failure: String?
  /// Whether every check passed.
  public var passed: Bool { failure == nil }

  public init(checks: Int, failure: String?) {
    self.checks = checks
    self.failure = failure
  }

  private enum CodingKeys: String, CodingKey {
    case checks, failure, passed
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    checks = try container.decode(Int.self, forKey: .checks)
    failure = try container.decodeIfPresent(String.self, forKey: .failure)
  }

  /// Encodes ``passed`` too, for readers of `emocl info --format json`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(checks, forKey: .checks)
    try container.encodeIfPresent(failure, forKey: .failure)
    try container.encode(passed, forKey: .passed)
  }
}

/// Deterministic numbers in [-1, 1) for the self-test (a 64-bit LCG).
struct SelfTestNumbers {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> Float {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    // The top 24 bits as a signed number in [-2²³, 2²³), scaled to [-1, 1).
    return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
  }
  mutating func array(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}
