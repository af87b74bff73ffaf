import Foundation

/// Single-precision GEMM throughput of the kernels in use: `size³` products, repeated for a
/// fixed time on one OpenBLAS thread and then on all of them.
public struct SGEMMSpeed: Sendable, Equatable, Codable {
  /// Side of the square matrices.
  public var size: Int
  /// GFLOP/s on one thread.
  public var oneThread: Double
  /// GFLOP/s on `threads` threads.
  public var allThreads: Double
  /// OpenBLAS threads of the `allThreads` figure.
  public var threads: Int

  public init(size: Int, oneThread: Double, allThreads: Double, threads: Int) {
    self.size = size
    self.oneThread = oneThread
    self.allThreads = allThreads
    self.threads = threads
  }

  /// Measures for about `seconds` in all (half on one thread, half on `threads`), after a
  /// warm-up product. It sets OpenBLAS's process-wide thread count for the measurement (through
  /// ``ThreadPolicy/configureProcess()``) and restores it afterwards, so only an executable's
  /// report (`emocl info`) calls it, never a computation.
  public static func measure(size: Int = 512, seconds: Double = 1, threads: Int) -> SGEMMSpeed {
    let before = BLAS.threads
    defer { ThreadPolicy.blas(before).configureProcess() }
    var generator = SelfTestNumbers(seed: 512)
    let a = generator.array(size * size)
    let b = generator.array(size * size)
    var c = [Float](repeating: 0, count: size * size)
    func rate(threads: Int) -> Double {
      ThreadPolicy.blas(threads).configureProcess()
      let product = {
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              sgemm(
                .none, .none, m: size, n: size, k: size, a: pa.baseAddress!, lda: size,
                b: pb.baseAddress!, ldb: size, c: pc.baseAddress!, ldc: size)
            }
          }
        }
      }
      product()
      let clock = ContinuousClock()
      let start = clock.now
      var calls = 0
      var elapsed = 0.0
      repeat {
        product()
        calls += 1
        let duration = start.duration(to: clock.now)
        elapsed =
          Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
      } while elapsed < seconds / 2
      return 2 * Double(size * size * size) * Double(calls) / elapsed / 1e9
    }
    let one = rate(threads: 1)
    let all = rate(threads: threads)
    return SGEMMSpeed(size: size, oneThread: one, allThreads: all, threads: threads)
  }
}
