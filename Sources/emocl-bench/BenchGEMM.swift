import ArgumentParser
import Tensor

/// `emocl-bench gemm`: single-precision GEMM throughput through `Tensor`'s `sgemm` at the shapes
/// the project cares about, printed as tab-separated `shape, m, n, k, threads, gflops` lines for
/// Scripts/bench/10-gemm.sh to set beside NumPy's figures.
struct BenchGEMM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gemm",
    abstract: "GFLOP/s of sgemm at 1024³ and a convolution-shaped product."
  )

  @Option(help: "Comma-separated OpenBLAS thread counts to measure.")
  var threads: String = "1,2"

  @Option(help: "Timed repeats per shape and thread count after a warm-up; the best is reported.")
  var repeats: Int = 7

  /// A named product `[m, k] · [k, n]`.
  struct Shape {
    let name: String
    let m: Int
    let n: Int
    let k: Int
  }

  /// 1024³ is the usual headline; 64×576 · 576×2304 is a 3×3 convolution with 64 input and
  /// output channels over a 48×48 image as weights · im2col columns.
  static let shapes = [
    Shape(name: "1024x1024x1024", m: 1024, n: 1024, k: 1024),
    Shape(name: "64x576*576x2304", m: 64, n: 2304, k: 576),
  ]

  func validate() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    guard !threadCounts.isEmpty, threadCounts.allSatisfy({ $0 >= 1 && $0 <= 256 }) else {
      throw ValidationError("--threads must list counts between 1 and 256, e.g. 1,2")
    }
  }

  var threadCounts: [Int] {
    threads.split(separator: ",").compactMap { Int($0.filter { !$0.isWhitespace }) }
  }

  func run() throws {
    print("# emocl: OpenBLAS core \(BLAS.coreName); \(BLAS.configuration)")
    print("shape\tm\tn\tk\tthreads\tgflops")
    for shape in Self.shapes {
      var generator = UniformFloats(seed: 42)
      let a = (0..<(shape.m * shape.k)).map { _ in generator.next() }
      let b = (0..<(shape.k * shape.n)).map { _ in generator.next() }
      var c = [Float](repeating: 0, count: shape.m * shape.n)
      for count in threadCounts {
        ThreadPolicy.blas(count).configureProcess()
        let seconds = Self.bestTime(repeats: repeats) {
          a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
              c.withUnsafeMutableBufferPointer { pc in
                sgemm(
                  .none, .none, m: shape.m, n: shape.n, k: shape.k, a: pa.baseAddress!,
                  lda: shape.k, b: pb.baseAddress!, ldb: shape.n, c: pc.baseAddress!,
                  ldc: shape.n)
              }
            }
          }
        }
        let flops = 2.0 * Double(shape.m) * Double(shape.n) * Double(shape.k)
        let gflops = flops / seconds / 1e9
        print("\(shape.name)\t\(shape.m)\t\(shape.n)\t\(shape.k)\t\(count)\t\(Self.fixed(gflops))")
      }
    }
  }

  /// The best seconds per call of `body` over `repeats` timed batches, after a warm-up call.
  /// Short calls are batched (about 50 ms per batch) so clock resolution does not dominate.
  static func bestTime(repeats: Int, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    body()
    let once = seconds(clock.measure(body))
    let calls = max(1, Int(0.05 / max(once, 1e-6)))
    var best = Double.infinity
    for _ in 0..<repeats {
      let elapsed = seconds(clock.measure { for _ in 0..<calls { body() } })
      best = min(best, elapsed / Double(calls))
    }
    return best
  }

  /// One decimal place, without Foundation's formatter.
  static func fixed(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
  }

  /// Deterministic uniform floats in [-1, 1) from a 64-bit LCG: benchmark inputs without
  /// depending on the system generator.
  struct UniformFloats {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }
  }
}
