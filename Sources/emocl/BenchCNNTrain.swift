import ArgumentParser
import Foundation
import Learning
import Tensor

/// `emocl bench cnn-train`: training images/s of the VGG-style CNN on synthetic data.
struct BenchCNNTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn-train", abstract: "Training throughput of the CNN on synthetic data.")

  @Option(help: "Images per step.") var batch = 64
  @Option(help: "Worker threads splitting each batch.") var workers = 2
  @Option(help: "OpenBLAS threads per GEMM.") var blasThreads = 1
  @Option(help: "Steps per timed block.") var steps = 5
  @Option(help: "Timed blocks (the best counts), after 2 warm-up steps.") var repeats = 3
  @Option(help: "im2col columns per GEMM chunk.") var columnTarget = 2048
  @Option(help: "Input side in pixels.") var size = 44
  @Flag(help: "Print per-layer thread-CPU times of worker 0.") var profile = false

  func run() throws {
    BLAS.setThreads(blasThreads)
    let network = try Network(spec: .vgg(input: (1, size, size)), seed: 1)
    let replicas = try Replicas(
      network: network, workers: workers, maxBatch: batch, columnTarget: columnTarget)
    let optimizer = Optimizer(
      config: OptimizerConfig(kind: .sgd, weightDecay: 5e-4), parameters: network.parameters)
    let loss = SoftmaxCrossEntropy(labelSmoothing: 0.1)
    let imageSize = size * size
    var rng = Xoshiro256(seed: 3)
    let pool = (0..<(batch * imageSize)).map { _ in Float(rng.nextGaussian()) }
    let labels = (0..<batch).map { _ in rng.nextInt(below: 7) }
    let fill: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void = { range, out in
      pool.withUnsafeBufferPointer {
        out.update(
          from: $0.baseAddress! + range.lowerBound * imageSize, count: range.count * imageSize)
      }
    }
    var stepIndex = 0
    func step() throws {
      _ = try replicas.trainStep(
        batch: batch, labels: labels, loss: loss, seed: UInt64(stepIndex), fill: fill)
      optimizer.step(
        parameters: network.parameters, gradients: replicas.gradients, learningRate: 0.01)
      stepIndex += 1
    }
    for _ in 0..<2 { try step() }
    replicas.workspaces[0].profiling = profile
    var best = Double.infinity
    let cpuStart = processCPUSeconds()
    for _ in 0..<repeats {
      let start = Date()
      for _ in 0..<steps { try step() }
      best = min(best, Date().timeIntervalSince(start))
    }
    let cpu = (processCPUSeconds() - cpuStart) / Double(repeats * steps * batch)
    print(String(format: "train_images_per_s %.1f", Double(steps * batch) / best))
    print(String(format: "train_cpu_ms_per_image %.2f", cpu * 1000))
    guard profile else { return }
    var total = (0.0, 0.0)
    let count = Double(repeats * steps)
    for (layer, f, b) in replicas.workspaces[0].profile {
      let name = String(String(describing: layer).prefix(44))
      print(
        name.padding(toLength: 44, withPad: " ", startingAt: 0)
          + String(format: " fwd %7.2f ms  bwd %7.2f ms", f / count * 1000, b / count * 1000))
      total = (total.0 + f, total.1 + b)
    }
    print(
      String(
        format: "worker 0 per step: fwd %.1f ms, bwd %.1f ms (thread CPU)",
        total.0 / count * 1000, total.1 / count * 1000))
  }
}

/// User plus system CPU time of this process.
func processCPUSeconds() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
    + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}
