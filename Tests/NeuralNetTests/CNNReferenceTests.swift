import Datasets
import Foundation
import NeuralNet
import Tensor
import TestSupport
import Testing
import Training

/// A small CNN (every layer kind but dropout) against PyTorch: activations, loss, gradients,
/// running statistics and optimiser steps from Scripts/fixtures/cnn_reference.py.
@Suite struct CNNReferenceTests {
  struct Reference {
    var tensors: [String: SafetensorsTensor]
    var spec: NetworkSpec

    init() throws {
      let url = SharedData.fixture("NeuralNetTests", "cnn_reference.safetensors")
      let file = try Safetensors(parsing: [UInt8](try Data(contentsOf: url)))
      tensors = file.tensors
      let json = try #require(file.metadata?["spec"])
      spec = try JSONDecoder().decode(NetworkSpec.self, from: Data(json.utf8))
    }

    func floats(_ name: String) throws -> [Float] {
      try #require(tensors[name], "fixture has no \(name)").floats
    }
    func tensor(_ name: String) throws -> Tensor {
      try #require(tensors[name], "fixture has no \(name)").tensor
    }
  }

  private func expectClose(
    _ actual: [Float], _ expected: [Float], _ what: String, atol: Float = 1e-4,
    rtol: Float = 1e-3
  ) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) vs \(expected.count)")
    var worst: (Int, Float, Float)?
    for (i, (a, e)) in zip(actual, expected).enumerated()
    where !(abs(a - e) <= atol + rtol * abs(e)) && worst == nil {
      worst = (i, a, e)
    }
    #expect(
      worst == nil, "\(what)[\(worst?.0 ?? -1)]: ours \(worst?.1 ?? 0), PyTorch \(worst?.2 ?? 0)")
  }

  /// A network with the fixture's initial parameters and statistics.
  private func network(_ ref: Reference) throws -> Network {
    let net = try Network(spec: ref.spec, seed: 0)
    for info in net.parameters.infos {
      try net.parameters.set(info.name, to: try ref.tensor("param." + info.name))
    }
    for info in net.state.infos {
      try net.state.set(info.name, to: try ref.tensor("state." + info.name))
    }
    return net
  }

  /// Forward and backward of the batch as one worker; returns (loss, logits, input gradient).
  private func step(_ ref: Reference, _ net: Network, _ ws: Workspace) throws
    -> (Double, [Float], [Float])
  {
    let input = try ref.floats("input")
    let labels = try ref.floats("labels").map { Int($0) }
    let n = labels.count
    let ce = SoftmaxCrossEntropy(labelSmoothing: 0.1, classWeights: [1, 2, 0.5])
    ws.zeroGradients()
    let logits = try input.withUnsafeBufferPointer {
      try ws.forward(images: $0.baseAddress!, batch: n, training: true)
    }
    var nchwLogits = [Float](repeating: 0, count: n * 3)
    for i in 0..<n { for c in 0..<3 { nchwLogits[i * 3 + c] = logits[c * n + i] } }
    var dLogits = [Float](repeating: 0, count: n * 3)
    let (loss, _) = labels.withUnsafeBufferPointer { y in
      dLogits.withUnsafeMutableBufferPointer { g in
        ce.evaluate(
          logits: logits, classes: 3, batch: n, labels: y.baseAddress!,
          normalizer: ce.normalizer(labels: labels), gradient: g.baseAddress!)
      }
    }
    let dx = try #require(
      dLogits.withUnsafeBufferPointer {
        ws.backward(outputGradient: $0.baseAddress!, inputGradient: true)
      })
    return (loss, nchwLogits, dx)
  }

  @Test func forwardLossAndGradientsMatchPyTorch() throws {
    let ref = try Reference()
    let net = try network(ref)
    let ws = try Workspace(network: net, maxBatch: 6)
    let (loss, logits, dx) = try step(ref, net, ws)
    expectClose(logits, try ref.floats("logits"), "logits")
    #expect(abs(Float(loss) - (try ref.floats("loss"))[0]) < 1e-5)
    expectClose(dx, try ref.floats("input_grad"), "input gradient", atol: 1e-6)
    for info in net.parameters.infos {
      let ours = Array(UnsafeBufferPointer(start: ws.gradients + info.offset, count: info.count))
      expectClose(ours, try ref.floats("grad." + info.name), "gradient of \(info.name)", atol: 1e-6)
    }
    net.updateRunningStatistics(from: [ws])
    for info in net.state.infos {
      expectClose(
        try #require(net.state.tensor(named: info.name)).storage,
        try ref.floats("running." + info.name), info.name, atol: 1e-6)
    }
    let eval = try ws.forward(try ref.tensor("input"), training: false)
    expectClose(eval.storage, try ref.floats("eval_logits"), "evaluation logits")
  }

  @Test(arguments: ["sgd", "adamw"])
  func optimizerStepsMatchPyTorch(kind: String) throws {
    let ref = try Reference()
    let net = try network(ref)
    let ws = try Workspace(network: net, maxBatch: 6)
    _ = try step(ref, net, ws)
    let config =
      kind == "sgd"
      ? OptimizerConfig(kind: .sgd, momentum: 0.9, weightDecay: 0.01)
      : OptimizerConfig(kind: .adamw, weightDecay: 0.05)
    let optimizer = Optimizer(config: config, parameters: net.parameters)
    for _ in 0..<2 {
      optimizer.step(
        parameters: net.parameters, gradients: ws.gradients,
        learningRate: kind == "sgd" ? 0.1 : 0.01)
    }
    for info in net.parameters.infos {
      expectClose(
        try #require(net.parameters.tensor(named: info.name)).storage,
        try ref.floats("\(kind).\(info.name)"), "\(kind) \(info.name)", atol: 1e-5)
    }
  }

  @Test func twoWorkersGiveTheSameGradientsAsOne() throws {
    // Without batch norm (whose statistics are per worker) splitting the batch changes
    // nothing but the summation order.
    let spec = NetworkSpec(
      inputChannels: 1, inputHeight: 8, inputWidth: 8,
      layers: [
        .conv2d(outputs: 4, kernel: 3, padding: 1), .relu, .maxPool(kernel: 2, stride: 2),
        .conv2d(outputs: 5, kernel: 3, stride: 2, padding: 1), .silu, .globalAvgPool,
        .dense(outputs: 3),
      ])
    var rng = Xoshiro256(seed: 8)
    let images = (0..<(10 * 64)).map { _ in Float(rng.nextGaussian()) }
    let labels = (0..<10).map { $0 % 3 }
    let fill: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void = { range, out in
      images.withUnsafeBufferPointer {
        out.update(from: $0.baseAddress! + range.lowerBound * 64, count: range.count * 64)
      }
    }
    var results: [([Float], Double)] = []
    for workers in [1, 2, 3] {
      let net = try Network(spec: spec, seed: 4)
      let replicas = try Replicas(network: net, workers: workers, maxBatch: 10)
      let (loss, _) = try replicas.trainStep(
        batch: 10, labels: labels, loss: SoftmaxCrossEntropy(labelSmoothing: 0.1), seed: 1,
        fill: fill)
      results.append(
        (Array(UnsafeBufferPointer(start: replicas.gradients, count: net.parameters.count)), loss))
    }
    for (grad, loss) in results.dropFirst() {
      expectClose(grad, results[0].0, "gradient with several workers", atol: 1e-6, rtol: 1e-4)
      #expect(abs(loss - results[0].1) < 1e-6)
    }
  }
}
