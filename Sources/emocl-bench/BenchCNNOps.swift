import ArgumentParser
import Foundation
import Tensor

/// `emocl-bench cnn-ops`: thread-CPU milliseconds of the pieces of one convolution (im2col,
/// the GEMMs) for the VGG stages, to see where training time goes.
struct BenchCNNOps: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn-ops", abstract: "Costs of im2col and GEMMs per conv stage.")

  @Option(help: "Images per chunk of stage 1 (later stages scale to about the same columns).")
  var images = 1
  @Option(help: "Repetitions.") var reps = 50

  func run() {
    ThreadPolicy.workers(1).configureProcess()
    for (channels, side) in [(32, 44), (64, 22), (128, 11), (256, 5)] {
      let g = ConvGeometry(channels: channels, height: side, width: side, kernel: 3, padding: 1)
      let n = max(images, images * 1936 / (side * side))
      let plane = side * side
      let cols = n * plane
      let x = [Float](repeating: 0.5, count: channels * cols)
      var columns = [Float](repeating: 0, count: g.patchSize * cols)
      let w = [Float](repeating: 0.01, count: channels * g.patchSize)
      var out = [Float](repeating: 0, count: channels * cols)
      func time(_ body: () -> Void) -> Double {
        body()
        let start = threadCPUSeconds()
        for _ in 0..<reps { body() }
        return (threadCPUSeconds() - start) / Double(reps) * 1000 / Double(n)
      }
      let i2c = x.withUnsafeBufferPointer { xp in
        columns.withUnsafeMutableBufferPointer { cp in
          time {
            im2col(
              xp.baseAddress!, geometry: g, images: n, channelStride: cols, imageStride: plane,
              into: cp.baseAddress!, rowStride: cols)
          }
        }
      }
      let flops = 2.0 * Double(channels * g.patchSize * plane)
      let gemm = w.withUnsafeBufferPointer { wp in
        columns.withUnsafeBufferPointer { cp in
          out.withUnsafeMutableBufferPointer { op in
            time {
              sgemm(
                .none, .none, m: channels, n: cols, k: g.patchSize, a: wp.baseAddress!,
                lda: g.patchSize, b: cp.baseAddress!, ldb: cols, c: op.baseAddress!, ldc: cols)
            }
          }
        }
      }
      var dw = [Float](repeating: 0, count: channels * g.patchSize)
      let dW = out.withUnsafeBufferPointer { op in
        columns.withUnsafeBufferPointer { cp in
          dw.withUnsafeMutableBufferPointer { dp in
            time {
              sgemm(
                .none, .transposed, m: channels, n: g.patchSize, k: cols, a: op.baseAddress!,
                lda: cols, b: cp.baseAddress!, ldb: cols, beta: 1, c: dp.baseAddress!,
                ldc: g.patchSize)
            }
          }
        }
      }
      print(
        String(
          format:
            "C=%3d %2dx%2d chunk %2d img: per image im2col %.3f ms, fwd gemm %.3f ms (%.1f GFLOP/s), dW gemm %.3f ms (%.1f GFLOP/s)",
          channels, side, side, n, i2c, gemm, flops / gemm * 1e-6, dW, flops / dW * 1e-6))
    }
  }
}
