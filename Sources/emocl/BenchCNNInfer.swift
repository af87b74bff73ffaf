import ArgumentParser
import Foundation
import Learning
import Tensor

/// `emocl bench cnn-infer`: batch inference images/s and batch-1 latency of the CNN.
struct BenchCNNInfer: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn-infer", abstract: "Inference throughput and latency of the CNN.")

  @Option(help: "Images per batch.") var batch = 64
  @Option(help: "Worker threads splitting each batch.") var workers = 2
  @Option(help: "OpenBLAS threads per GEMM.") var blasThreads = 1
  @Option(help: "OpenBLAS threads for batch-1 latency.") var latencyThreads = 2
  @Option(help: "Timed batches.") var steps = 20
  @Option(help: "Timed single images.") var singles = 200
  @Option(help: "Input side in pixels.") var size = 44

  func run() throws {
    let network = try Network(spec: .vgg(input: (1, size, size)), seed: 1)
    let replicas = try Replicas(network: network, workers: workers, maxBatch: batch)
    let imageSize = size * size
    var rng = Xoshiro256(seed: 3)
    let pool = (0..<(batch * imageSize)).map { _ in Float(rng.nextGaussian()) }
    let fill: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void = { range, out in
      pool.withUnsafeBufferPointer {
        out.update(
          from: $0.baseAddress! + range.lowerBound * imageSize, count: range.count * imageSize)
      }
    }
    var logits = [Float](repeating: 0, count: batch * network.classes)
    BLAS.setThreads(blasThreads)
    try logits.withUnsafeMutableBufferPointer { out in
      for _ in 0..<2 { try replicas.infer(batch: batch, into: out.baseAddress!, fill: fill) }
      let start = Date()
      for _ in 0..<steps { try replicas.infer(batch: batch, into: out.baseAddress!, fill: fill) }
      let rate = Double(steps * batch) / Date().timeIntervalSince(start)
      print(String(format: "infer batch-%d images/s %.1f", batch, rate))
      BLAS.setThreads(latencyThreads)
      for _ in 0..<5 { try replicas.infer(batch: 1, into: out.baseAddress!, fill: fill) }
      let t0 = Date()
      for _ in 0..<singles { try replicas.infer(batch: 1, into: out.baseAddress!, fill: fill) }
      let ms = Date().timeIntervalSince(t0) / Double(singles) * 1000
      print(String(format: "batch-1 latency ms %.3f (blas threads %d)", ms, latencyThreads))
    }
  }
}
