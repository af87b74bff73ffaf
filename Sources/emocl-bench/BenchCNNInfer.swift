import ArgumentParser
import Foundation
import NeuralNet
import Tensor

/// `emocl-bench cnn-infer`: batch inference images/s and batch-1 latency of the CNN.
struct BenchCNNInfer: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn-infer", abstract: "Inference throughput and latency of the CNN.")

  @Option(help: "Images per batch.") var batch = 64
  @Option(help: "Worker threads splitting each batch.") var workers = 2
  @Option(help: "OpenBLAS threads per GEMM for batches.") var blasThreads = 1
  @Option(help: "OpenBLAS threads for batch-1 latency.") var latencyThreads = 2
  @Option(help: "Batches per timed block.") var steps = 5
  @Option(help: "Single images per timed block.") var singles = 50
  @Option(help: "Timed blocks (the best counts).") var repeats = 3
  @Option(help: "Input side in pixels.") var size = 44
  @Flag(help: "Frozen weights (Winograd kernel transforms kept between calls), as a served model.")
  var frozen = false
  @Flag(help: "Forward-only workspaces with frozen weights, as a served model (Winograd F(4×4)).")
  var forwardOnly = false
  @Flag(help: "Print per-layer thread-CPU times of single images (one thread).") var profile =
    false

  func run() throws {
    let network = try Network(spec: .vgg(input: (1, size, size)), seed: 1)
    let replicas = try Replicas(
      network: network, workers: workers, maxBatch: batch, forwardOnly: forwardOnly)
    for workspace in replicas.workspaces { workspace.frozenWeights = frozen || forwardOnly }
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
    try logits.withUnsafeMutableBufferPointer { out in
      func best(_ block: () throws -> Void) rethrows -> Double {
        var result = Double.infinity
        for _ in 0..<repeats {
          let start = Date()
          try block()
          result = min(result, Date().timeIntervalSince(start))
        }
        return result
      }
      ThreadPolicy.blas(blasThreads).configureProcess()
      try replicas.infer(batch: batch, into: out.baseAddress!, fill: fill)
      let batchSeconds = try best {
        for _ in 0..<steps { try replicas.infer(batch: batch, into: out.baseAddress!, fill: fill) }
      }
      print(String(format: "infer_images_per_s %.1f", Double(steps * batch) / batchSeconds))
      ThreadPolicy.blas(latencyThreads).configureProcess()
      for _ in 0..<10 { try replicas.infer(batch: 1, into: out.baseAddress!, fill: fill) }
      let singleSeconds = try best {
        for _ in 0..<singles { try replicas.infer(batch: 1, into: out.baseAddress!, fill: fill) }
      }
      print(String(format: "latency_ms %.3f", singleSeconds / Double(singles) * 1000))
      guard profile else { return }
      ThreadPolicy.workers(1).configureProcess()
      let workspace = replicas.workspaces[0]
      workspace.profiling = true
      for _ in 0..<singles { try replicas.infer(batch: 1, into: out.baseAddress!, fill: fill) }
      var total = 0.0
      for entry in workspace.profile {
        let f = entry.forwardSeconds
        let name = String(String(describing: entry.layer).prefix(44))
        print(
          name.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(format: " %7.3f ms", f / Double(singles) * 1000))
        total += f
      }
      print(
        String(format: "single image forward %.3f ms (thread CPU)", total / Double(singles) * 1000))
    }
  }
}
