import Datasets
import Foundation
import NeuralNet
import TestSupport
import Testing
import Vision

/// A forward-only (inference) network, whose wide 3×3 convolutions run Winograd F(4×4, 3×3),
/// against the same network built for training (F(2×2, 3×3)): the shipped CNN on real FER2013
/// validation faces. F(4×4)'s transforms round more in float32, so the logits differ in the
/// last bits; the observed largest difference is 5.5e-6 on logits up to 7.3 (under 1e-6 of their scale), the bound
/// 1e-3 of it, and every prediction must agree.
@Suite struct ForwardOnlyNetworkTests {
  /// Up to `perClass` 48×48 grey faces of each class of FER2013's validation split.
  static func faces(perClass: Int) throws -> [UInt8]? {
    guard let val = try SharedData.path("datasets/fer2013/val") else { return nil }
    var pixels: [UInt8] = []
    for emotion in Emotion.names {
      let folder = val.appendingPathComponent(emotion)
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
      for name in names.prefix(perClass) {
        let image = try Image(contentsOfFile: folder.appendingPathComponent(name).path).grey()
        guard image.width == 48, image.height == 48 else { continue }
        pixels += image.pixels
      }
    }
    return pixels
  }

  @Test func shippedModelGivesTheTrainingPathsLogits() throws {
    guard let pixels = try Self.faces(perClass: 3) else { return }
    let count = pixels.count / (48 * 48)
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/cnn.safetensors")
    let classifier = try CNNClassifier(file: try ModelFile.read(from: url), maxBatch: 8)
    func logits(forwardOnly: Bool) throws -> [Float] {
      let replicas = try Replicas(
        network: classifier.network, workers: 1, maxBatch: 8, forwardOnly: forwardOnly)
      replicas.workspaces[0].frozenWeights = true
      return try replicas.centerCropLogits(
        pixels: pixels, count: count, width: 48, height: 48, crop: classifier.crop,
        normalization: classifier.normalization, flip: false)
    }
    let inference = try logits(forwardOnly: true)
    let training = try logits(forwardOnly: false)
    let scale = training.map(abs).max() ?? 1
    let worst = zip(inference, training).map { abs($0 - $1) }.max() ?? .nan
    print("forward-only vs training path: worst logit difference \(worst) of \(scale)")
    #expect(inference != training, "the forward-only path should run other convolutions")
    #expect(worst <= 1e-3 * scale)
    let classes = classifier.network.classes
    func argmax(_ l: [Float], _ i: Int) -> Int {
      (0..<classes).max { l[i * classes + $0] < l[i * classes + $1] }!
    }
    for i in 0..<count { #expect(argmax(inference, i) == argmax(training, i), "image \(i)") }
  }

  /// Training cannot reach F(4×4)'s missing gradients: a forward-only workspace runs forward
  /// (through `Winograd4Convolution` here: 16 channels at 12×12) and stops on `backward`.
  @Test func forwardOnlyWorkspaceRefusesBackward() async throws {
    await #expect(processExitsWith: .failure) {
      let spec = NetworkSpec.vgg(input: (1, 12, 12), stageWidths: [16], hidden: 4, classes: 3)
      let network = try! Network(spec: spec, seed: 1)
      let workspace = try! Workspace(network: network, maxBatch: 2, forwardOnly: true)
      let images = [Float](repeating: 0.5, count: 2 * 144)
      _ = try! workspace.forward(images: images, batch: 2, training: false)
      let gradient = [Float](repeating: 1, count: 2 * 3)
      workspace.backward(outputGradient: gradient)
    }
  }

  /// A forward-only workspace applies a convolution's bias and the PReLU after it in one pass
  /// (the PReLU layer then passes through): with channels too few for Winograd F(4×4), every
  /// other step is the training path's, so the outputs must be bit-identical. Layers as in
  /// MTCNN's P-Net, with every parameter (biases and slopes included) set at random.
  @Test func fusedBiasAndPReLUGiveTheTrainingPathsOutputs() throws {
    let spec = NetworkSpec(
      inputChannels: 3, inputHeight: 20, inputWidth: 24,
      layers: [
        .conv2d(outputs: 10, kernel: 3), .prelu, .maxPoolCeil(kernel: 2, stride: 2),
        .conv2d(outputs: 16, kernel: 3), .prelu, .conv2d(outputs: 8, kernel: 3), .prelu,
        .globalAvgPool, .dense(outputs: 3),
      ])
    let network = try Network(spec: spec, seed: 3)
    var state: UInt64 = 5
    func next() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int64(bitPattern: state >> 40) - (1 << 23)) / Float(1 << 23)
    }
    for i in 0..<network.parameters.count { network.parameters.values[i] = next() }
    let images = (0..<(2 * 3 * 20 * 24)).map { _ in next() }
    func outputs(forwardOnly: Bool) throws -> [Float] {
      let workspace = try Workspace(network: network, maxBatch: 2, forwardOnly: forwardOnly)
      workspace.frozenWeights = true
      let out = try workspace.forward(images: images, batch: 2, training: false)
      return Array(UnsafeBufferPointer(start: out, count: 2 * 3))
    }
    let fused = try outputs(forwardOnly: true)
    let plain = try outputs(forwardOnly: false)
    #expect(fused.map(\.bitPattern) == plain.map(\.bitPattern), "\(fused) against \(plain)")
    #expect(plain.contains { $0 != 0 })
  }
}
