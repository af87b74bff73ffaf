import ArgumentParser
import Foundation
import NeuralNet
import Tensor

/// `emocl-bench cnn-conv`: thread-CPU milliseconds per image of each 3×3 convolution of the
/// VGG network, forward with frozen weights, by im2col, Winograd F(2×2, 3×3) and F(4×4, 3×3),
/// on one thread: the measurement behind the planner's choice for inference.
struct BenchCNNConvolutions: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn-conv",
    abstract: "Forward cost per image of each VGG 3×3 convolution by algorithm.")

  @Option(help: "Images per call (a worker's share of a batch).") var batch = 32
  @Option(help: "Calls per timing (the best of three counts).") var reps = 10
  @Option(help: "F(4×4) chunks hold this many times the planner's images.") var chunkScale = 1

  func run() {
    ThreadPolicy.workers(1).configureProcess()
    let shapes = [
      (8, 8, 44), (16, 16, 44), (16, 16, 22), (1, 32, 44), (32, 32, 44), (32, 64, 22), (64, 64, 22),
      (64, 128, 11), (128, 128, 11),
      (128, 256, 5), (256, 256, 5),
    ]
    for (channels, outputs, side) in shapes {
      let g = ConvGeometry(channels: channels, height: side, width: side, kernel: 3, padding: 1)
      let chunk = max(1, min(batch, 2048 / (side * side)))
      let algorithms: [(String, any ConvolutionAlgorithm)] = [
        ("im2col", Im2colConvolution(geometry: g, outputs: outputs, chunk: chunk)),
        ("F2x2", WinogradConvolution(geometry: g, outputs: outputs, chunk: chunk)!),
        ("F4x4", Winograd4Convolution(geometry: g, outputs: outputs, chunk: chunk * chunkScale)!),
      ]
      var rng = Xoshiro256(seed: 5)
      let x = (0..<(channels * batch * side * side)).map { _ in Float(rng.nextGaussian()) }
      let w = (0..<(outputs * channels * 9)).map { _ in Float(rng.nextGaussian() * 0.1) }
      var y = [Float](repeating: 0, count: outputs * batch * side * side)
      var line = String(format: "%3d→%3d %2d×%2d chunk %2d:", channels, outputs, side, side, chunk)
      for (name, algorithm) in algorithms {
        var scratch = [Float](repeating: 0, count: algorithm.scratchSize)
        func call() {
          algorithm.forward(
            x, batch: batch, weight: w, into: &y, scratch: &scratch, threads: 1,
            frozenWeights: true)
        }
        call()
        var best = Double.infinity
        for _ in 0..<3 {
          let start = threadCPUSeconds()
          for _ in 0..<reps { call() }
          best = min(best, threadCPUSeconds() - start)
        }
        line += String(format: "  %@ %.3f ms", name, best / Double(reps * batch) * 1000)
      }
      print(line)
      if breakdown, channels > 1 { print(Self.breakdown(g, outputs: outputs, chunk: chunk)) }
    }
  }

  @Flag(help: "Also time the F(4×4) transforms and GEMMs of one chunk apart.") var breakdown =
    false

  /// Thread-CPU ms per image of the F(4×4) input transform, 36 GEMMs and output transform
  /// of one chunk.
  static func breakdown(_ g: ConvGeometry, outputs: Int, chunk: Int) -> String {
    let c = g.channels
    let stride = Winograd4.rowStride(g, images: chunk)
    let tiles = chunk * Winograd4.tilesPerImage(g)
    let plane = g.height * g.width
    let outPlane = g.outputHeight * g.outputWidth
    let x = [Float](repeating: 0.5, count: c * chunk * plane)
    var y = [Float](repeating: 0, count: outputs * chunk * outPlane)
    let u = [Float](repeating: 0.01, count: 36 * outputs * c)
    var v = [Float](repeating: 0, count: 36 * c * stride)
    var m = [Float](repeating: 0, count: 36 * outputs * stride)
    var scratch = [Float](repeating: 0, count: Winograd4.planeSize(g))
    func time(_ body: () -> Void) -> Double {
      body()
      let start = threadCPUSeconds()
      for _ in 0..<20 { body() }
      return (threadCPUSeconds() - start) / Double(20 * chunk) * 1000
    }
    let input = time {
      Winograd4.transformInput(
        x, geometry: g, images: chunk, channelStride: chunk * plane, imageStride: plane,
        channels: 0..<c, into: &v, rowStride: stride, plane: &scratch)
    }
    let gemm = time {
      for xi in 0..<36 {
        u.withUnsafeBufferPointer { up in
          v.withUnsafeBufferPointer { vp in
            m.withUnsafeMutableBufferPointer { mp in
              sgemm(
                .none, .none, m: outputs, n: tiles, k: c, a: up.baseAddress! + xi * outputs * c,
                lda: c, b: vp.baseAddress! + xi * c * stride, ldb: stride,
                c: mp.baseAddress! + xi * outputs * stride, ldc: stride)
            }
          }
        }
      }
    }
    let output = time {
      Winograd4.transformOutput(
        m, rowStride: stride, totalOutputs: outputs, geometry: g, outputs: 0..<outputs,
        images: chunk, into: &y, channelStride: chunk * outPlane, imageStride: outPlane,
        plane: &scratch)
    }
    return String(
      format: "    F4x4 input %.3f ms, GEMMs %.3f ms, output %.3f ms", input, gemm, output)
  }
}
