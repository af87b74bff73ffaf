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
  @Option(help: "Timed steps (after 2 warm-up steps).") var steps = 10
  @Option(help: "im2col columns per GEMM chunk.") var columnTarget = 2048
  @Option(help: "Input side in pixels.") var size = 44
  @Flag(help: "Print per-layer times of worker 0.") var profile = false

  func run() throws {
    BLAS.setThreads(blasThreads)
    let spec = NetworkSpec.vgg(input: (1, size, size))
    let network = try Network(spec: spec, seed: 1)
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
    func step(_ i: Int) throws -> Double {
      let (l, _) = try replicas.trainStep(
        batch: batch, labels: labels, loss: loss, seed: UInt64(i), fill: fill)
      optimizer.step(
        parameters: network.parameters, gradients: replicas.gradients, learningRate: 0.01)
      return l
    }
    for i in 0..<2 { _ = try step(i) }
    replicas.workspaces[0].profiling = profile
    let start = Date()
    let cpuStart = processCPUSeconds()
    var last = 0.0
    for i in 0..<steps { last = try step(i + 2) }
    let seconds = Date().timeIntervalSince(start)
    let rate = Double(steps * batch) / seconds
    let cpu = processCPUSeconds() - cpuStart
    print(
      String(
        format: "cpu-seconds per image %.2f ms (ideal on %d cores: %.1f images/s)",
        cpu / Double(steps * batch) * 1000, workers * blasThreads,
        Double(steps * batch) / cpu * Double(workers * blasThreads)))
    print(
      String(
        format: "train images/s %.1f  (batch %d, workers %d, blas threads %d, loss %.3f)", rate,
        batch, workers, blasThreads, last))
    if profile {
      var total = (0.0, 0.0)
      for (layer, f, b) in replicas.workspaces[0].profile {
        let name = String(describing: layer).prefix(40)
        print(
          String(
            format: "%-40@ fwd %7.2f ms  bwd %7.2f ms", String(name) as NSString,
            f / Double(steps) * 1000, b / Double(steps) * 1000))
        total = (total.0 + f, total.1 + b)
      }
      print(
        String(
          format: "total per step: fwd %.1f ms bwd %.1f ms, step %.1f ms",
          total.0 / Double(steps) * 1000, total.1 / Double(steps) * 1000,
          seconds / Double(steps) * 1000))
    }
  }
}

/// User plus system CPU time of this process.
func processCPUSeconds() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
    + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}
