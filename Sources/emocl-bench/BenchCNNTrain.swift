import ArgumentParser
import Foundation
import NeuralNet
import Tensor
import Training

/// `emocl-bench cnn-train`: training images/s of the VGG-style CNN on synthetic data.
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
    ThreadPolicy(workers: workers, blasThreads: blasThreads).configureProcess()
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
    print(String(format: "train_peak_rss_mb %.0f", peakResidentMegabytes()))
    guard profile else { return }
    let perWorker = Double(batch) / Double(workers)
    Self.printProfile(
      replicas.workspaces[0].profile, images: Double(repeats * steps) * perWorker,
      sgemmGFLOPs: Self.sgemmGFLOPs(columns: columnTarget))
  }

  /// Per layer kind: thread-CPU milliseconds per image (forward, backward), share of the total,
  /// and GFLOP/s of the GEMM layers (direct-convolution FLOPs, so Winograd layers show an
  /// effective rate) beside one thread's sgemm rate, the roofline these layers aim at.
  static func printProfile(_ profile: [LayerProfile], images: Double, sgemmGFLOPs: Double) {
    var kinds: [String] = []
    var rows: [String: (forward: Double, backward: Double, flops: Double?)] = [:]
    for (index, entry) in profile.enumerated() {
      if rows[entry.kind] == nil { kinds.append(entry.kind) }
      var row = rows[entry.kind] ?? (0, 0, nil)
      row.forward += entry.forwardSeconds
      row.backward += entry.backwardSeconds
      if let f = entry.forwardFLOPs, let b = entry.backwardFLOPs(isFirst: index == 0) {
        row.flops = (row.flops ?? 0) + f + b
      }
      rows[entry.kind] = row
    }
    let total = rows.values.reduce(0) { $0 + $1.forward + $1.backward }
    print(
      "profile (worker 0, thread CPU per image; sgemm on one thread: \(String(format: "%.1f", sgemmGFLOPs)) GFLOP/s)"
    )
    print("layer kind      fwd ms   bwd ms   share   GFLOP/s")
    for kind in kinds {
      let row = rows[kind]!
      let seconds = row.forward + row.backward
      let rate =
        row.flops.map { String(format: "%9.1f", $0 * images / seconds / 1e9) } ?? "        -"
      print(
        kind.padding(toLength: 14, withPad: " ", startingAt: 0)
          + String(
            format: " %7.3f  %7.3f  %5.1f%%", row.forward / images * 1000,
            row.backward / images * 1000, seconds / total * 100)
          + rate)
    }
    print(String(format: "total          %7.3f ms per image", total / images * 1000))
  }

  /// One thread's sgemm rate on a convolution-shaped product (128 × 1152 weights times 1152 ×
  /// `columns` im2col columns, stage 3 of the VGG net).
  static func sgemmGFLOPs(columns: Int) -> Double {
    ThreadPolicy.workers(1).configureProcess()
    let (m, k, n) = (128, 1152, columns)
    let a = [Float](repeating: 0.01, count: m * k)
    let b = [Float](repeating: 0.02, count: k * n)
    var c = [Float](repeating: 0, count: m * n)
    let reps = 20
    let seconds = c.withUnsafeMutableBufferPointer { cp in
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          func product() {
            sgemm(
              .none, .none, m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!,
              ldb: n,
              c: cp.baseAddress!, ldc: n)
          }
          product()
          let start = threadCPUSeconds()
          for _ in 0..<reps { product() }
          return threadCPUSeconds() - start
        }
      }
    }
    return 2 * Double(m * k * n) * Double(reps) / seconds / 1e9
  }
}
