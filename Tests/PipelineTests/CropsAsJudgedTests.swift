import Datasets
import Foundation
import Pipeline
import Tensor
import TestSupport
import Testing
import Vision

/// R- and O-Net with their crops made chunk by chunk as they are judged
/// (`MTCNNNetworks.refine(_:side:from:workers:)`) give each box the outputs that crops made all
/// first give it: upright and turned boxes, boxes inside the photo, across its edges and wholly
/// outside, on one and two threads, and after earlier calls left other crops in the buffers.
@Suite struct CropsAsJudgedTests {
  static func detector() throws -> MTCNNDetector {
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    return try MTCNNDetector(file: try ModelFile.read(from: url), threads: 2)
  }

  /// A 320×240 photo with structure at every scale: smooth colour gradients, a few discs, and
  /// pixel noise (a fixed seed).
  static let photo: Image = {
    let (w, h) = (320, 240)
    var random = SplitMix64(seed: 5)
    var pixels = [UInt8](repeating: 0, count: w * h * 3)
    for y in 0..<h {
      for x in 0..<w {
        let disc = ((x - 100) * (x - 100) + (y - 90) * (y - 90) < 900) ? 80 : 0
        let ring = abs((x - 230) * (x - 230) + (y - 150) * (y - 150) - 2500) < 400 ? -60 : 0
        for c in 0..<3 {
          let base = (x * (c + 1) / 3 + y * (3 - c) / 3) % 256 / 2 + 40
          let noise = Int(random.next() % 21) - 10
          pixels[(y * w + x) * 3 + c] = UInt8(clamping: base + disc + ring + noise)
        }
      }
    }
    return Image(width: w, height: h, channels: 3, pixels: pixels)
  }()

  /// `count` square boxes of sides 8 to 200, a fifth of them crossing or outside the photo's
  /// edges, each seen upright or turned by ±20°.
  static func boxes(_ count: Int, seed: UInt64) -> (boxes: [SIMD4<Float>], degrees: [Float]) {
    var random = SplitMix64(seed: seed)
    func unit() -> Float { Float(random.next() >> 11) / Float(1 << 53) }
    var boxes: [SIMD4<Float>] = []
    var degrees: [Float] = []
    for k in 0..<count {
      let side = 8 + 192 * unit() * unit()
      let outside = k % 5 == 0
      let x = outside ? -side / 2 + 420 * unit() - 50 : (320 - side) * unit()
      let y = outside ? -side / 2 + 340 * unit() - 50 : max(0, 240 - side) * unit()
      boxes.append(SIMD4(x, y, x + side, y + side))
      degrees.append([0, -20, 20][k % 3])
    }
    return (boxes, degrees)
  }

  @Test(arguments: [24, 48], [1, 2])
  func givesTheOutputsOfCropsMadeFirst(side: Int, workers: Int) throws {
    let detector = try Self.detector()
    // Larger boxes first, then others: each call's buffers hold the one before's crops.
    for (count, seed) in [(70, UInt64(1)), (37, UInt64(2)), (9, UInt64(3))] {
      let (boxes, degrees) = Self.boxes(count, seed: seed)
      let made = try #require(
        try detector.cropNetOutputs(
          in: Self.photo, boxes: boxes, degrees: degrees, side: side, workers: workers,
          asJudged: true),
        "R- and O-Net run on the pixel-major kernels on this CPU")
      let first = try #require(
        try detector.cropNetOutputs(
          in: Self.photo, boxes: boxes, degrees: degrees, side: side, workers: workers,
          asJudged: false))
      #expect(made.count == count)
      #expect(made.map { $0 == nil } == first.map { $0 == nil })
      #expect(made.contains { $0 == nil }, "some box lies wholly outside the photo")
      #expect(made.compactMap { $0 }.count > count / 2)
      var worst: Float = 0
      for (a, b) in zip(made, first) {
        guard let a, let b else { continue }
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) }
      }
      #expect(worst <= 1e-5, "largest difference \(worst), side \(side), \(count) boxes")
    }
  }
}
