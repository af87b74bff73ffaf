import Foundation
import NeuralNet
import Tensor
import Testing

@Suite struct NetworkTests {
  @Test func specSurvivesJSON() throws {
    var spec = NetworkSpec.vgg()
    spec.layers.append(
      .residual(
        body: [.conv2d(outputs: 7, kernel: 1), .silu],
        shortcut: [.avgPool(kernel: 1, stride: 1), .flatten]))
    let data = try JSONEncoder().encode(spec)
    #expect(try JSONDecoder().decode(NetworkSpec.self, from: data) == spec)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains(#""type":"conv2d""#))
  }

  @Test func unknownLayerTypeIsADecodingError() {
    let json = #"{"inputChannels":1,"inputHeight":4,"inputWidth":4,"layers":[{"type":"lstm"}]}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(NetworkSpec.self, from: Data(json.utf8))
    }
  }

  @Test func suggestedNetworkHasTheExpectedShapeAndSize() throws {
    let net = try Network(spec: .vgg(), seed: 1)
    #expect(net.outputShape == ActivationShape(channels: 7, height: 1, width: 1))
    // Convolutions (no bias): 9·(1·32 + 32·32 + 32·64 + 64·64 + 64·128 + 128·128 + 128·256
    // + 256·256); batch norms 2·(2·32 + 2·64 + 2·128 + 2·256); dense 256·256 + 256 + 256·7 + 7.
    let conv = 9 * (32 + 1024 + 2048 + 4096 + 8192 + 16384 + 32768 + 65536)
    let bn = 2 * 2 * (32 + 64 + 128 + 256)
    #expect(net.parameters.count == conv + bn + 256 * 256 + 256 + 256 * 7 + 7)
    #expect(net.parameters.info(named: "0.weight")?.shape == [32, 1, 3, 3])
    #expect(net.parameters.info(named: "0.weight")?.decay == true)
    #expect(net.parameters.info(named: "1.weight")?.decay == false)
    #expect(net.state.info(named: "1.running_var")?.shape == [32])
  }

  @Test func sameSeedSameWeights() throws {
    let a = try Network(spec: .vgg(stageWidths: [4, 8]), seed: 5)
    let b = try Network(spec: .vgg(stageWidths: [4, 8]), seed: 5)
    let c = try Network(spec: .vgg(stageWidths: [4, 8]), seed: 6)
    #expect(a.parameters.allValues == b.parameters.allValues)
    #expect(a.parameters.allValues != c.parameters.allValues)
  }

  @Test func invalidSpecsAreTypedErrors() {
    func build(_ layers: [LayerSpec], size: Int = 8) throws(NetworkError) {
      _ = try Network(
        spec: NetworkSpec(inputChannels: 1, inputHeight: size, inputWidth: size, layers: layers),
        seed: 0)
    }
    #expect(throws: NetworkError.self) { try build([.conv2d(outputs: 4, kernel: 9)]) }
    #expect(throws: NetworkError.self) { try build([.conv2d(outputs: 0, kernel: 3)]) }
    #expect(throws: NetworkError.self) { try build([.dense(outputs: 3)]) }
    #expect(throws: NetworkError.self) { try build([.maxPool(kernel: 2, stride: 0)]) }
    #expect(throws: NetworkError.self) { try build([.dropout(rate: 1)]) }
    #expect(throws: NetworkError.self) { try build([]) }
    #expect(throws: NetworkError.self) { try build([.relu], size: 0) }
    #expect(throws: NetworkError.self) {
      try build([.residual(body: [.conv2d(outputs: 2, kernel: 3)])])
    }
    #expect(throws: NetworkError.self) {
      try build([.conv2d(outputs: 1 << 20, kernel: 3), .conv2d(outputs: 1 << 20, kernel: 3)])
    }
  }

  @Test func batchLimitsAreTypedErrors() throws {
    let net = try Network(
      spec: NetworkSpec(inputChannels: 1, inputHeight: 2, inputWidth: 2, layers: [.flatten]),
      seed: 0)
    let ws = try Workspace(network: net, maxBatch: 2)
    #expect(throws: NetworkError.batchSize(requested: 3, maximum: 2)) {
      _ = try ws.forward(Tensor(shape: [3, 1, 2, 2]), training: false)
    }
    #expect(throws: NetworkError.self) {
      _ = try ws.forward(Tensor(shape: [1, 2, 2, 2]), training: false)
    }
    #expect(throws: NetworkError.self) { _ = try Workspace(network: net, maxBatch: 0) }
  }

  @Test func runningStatisticsPoolWorkersLikeOneBatch() throws {
    let spec = NetworkSpec(
      inputChannels: 2, inputHeight: 3, inputWidth: 3, layers: [.batchNorm(momentum: 0.5)])
    var rng = Xoshiro256(seed: 4)
    let input = Tensor(
      shape: [6, 2, 3, 3], storage: (0..<108).map { _ in Float(rng.nextGaussian()) * 2 + 1 })
    // One workspace over the whole batch.
    let whole = try Network(spec: spec, seed: 0)
    let ws = try Workspace(network: whole, maxBatch: 6)
    _ = try ws.forward(input, training: true)
    whole.updateRunningStatistics(from: [ws])
    // Two workspaces over halves.
    let split = try Network(spec: spec, seed: 0)
    let halves = try (0..<2).map { _ in try Workspace(network: split, maxBatch: 3) }
    for (h, w) in halves.enumerated() {
      let part = Tensor(
        shape: [3, 2, 3, 3], storage: Array(input.storage[(h * 54)..<(h * 54 + 54)]))
      _ = try w.forward(part, training: true)
    }
    split.updateRunningStatistics(from: halves)
    // Reference: mean and unbiased variance of channel 0 over all 54 values.
    var values: [Double] = []
    for i in 0..<6 { for p in 0..<9 { values.append(Double(input.storage[i * 18 + p])) } }
    let mean = values.reduce(0, +) / 54
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 53
    let expectedMean = Float(0.5 * mean)
    let expectedVariance = Float(0.5 * 1 + 0.5 * variance)
    for net in [whole, split] {
      let rm = try #require(net.state.tensor(named: "0.running_mean"))
      let rv = try #require(net.state.tensor(named: "0.running_var"))
      #expect(abs(rm.storage[0] - expectedMean) < 1e-5)
      #expect(abs(rv.storage[0] - expectedVariance) < 1e-4)
    }
  }

  @Test func dropoutMasksFollowImagesNotTheSplit() throws {
    let spec = NetworkSpec(
      inputChannels: 3, inputHeight: 2, inputWidth: 2, layers: [.dropout(rate: 0.5)])
    let net = try Network(spec: spec, seed: 0)
    let input = Tensor(shape: [4, 3, 2, 2], repeating: 1)
    let whole = try Workspace(network: net, maxBatch: 4).forward(input, training: true, seed: 9)
    let ws = try Workspace(network: net, maxBatch: 2)
    let second = try input.storage.withUnsafeBufferPointer { p in
      let out = try ws.forward(
        images: p.baseAddress! + 24, batch: 2, training: true, imageOffset: 2, seed: 9)
      // [C, 2, H, W] → NCHW for the last two images
      var nchw = [Float](repeating: 0, count: 24)
      for c in 0..<3 {
        for i in 0..<2 { for q in 0..<4 { nchw[(i * 3 + c) * 4 + q] = out[(c * 2 + i) * 4 + q] } }
      }
      return nchw
    }
    #expect(Array(whole.storage[24...]) == second)
  }

  @Test func splittingConvolutionsBetweenThreadsGivesTheSameOutput() throws {
    let spec = NetworkSpec(
      inputChannels: 3, inputHeight: 9, inputWidth: 9,
      layers: [
        .conv2d(outputs: 5, kernel: 3, padding: 1), .batchNorm(), .relu,
        .conv2d(outputs: 7, kernel: 3, stride: 2, padding: 1), .conv2d(outputs: 4, kernel: 1),
        .globalAvgPool, .dense(outputs: 3),
      ])
    let net = try Network(spec: spec, seed: 2)
    var rng = Xoshiro256(seed: 3)
    let images = (0..<(2 * 243)).map { _ in Float(rng.nextGaussian()) }
    var outputs: [[Float]] = []
    for threads in [1, 2, 3] {
      let ws = try Workspace(network: net, maxBatch: 2)
      let y = try images.withUnsafeBufferPointer {
        try ws.forward(images: $0.baseAddress!, batch: 2, training: false, threads: threads)
      }
      outputs.append(Array(UnsafeBufferPointer(start: y, count: 6)))
    }
    for out in outputs.dropFirst() {
      for (a, b) in zip(out, outputs[0]) { #expect(abs(a - b) < 1e-5) }
    }
  }
}
