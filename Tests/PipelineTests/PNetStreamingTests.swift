import Datasets
import Foundation
import Pipeline
import Tensor
import TestSupport
import Testing
import Vision

/// The planar P-Net computes each band in chunks of rows, moving the rows a chunk shares with the
/// next to the top of its buffers, and shares tall levels among bands: whatever a level's height
/// (shorter than one chunk, a chunk and a row, split in bands) and width, and with the grey
/// border or without, its maps must be the generic layers' up to the order of the sums.
@Suite struct PNetStreamingTests {
  /// Waves in each channel plus noise, so that P-Net's windows take varied probabilities.
  static func image(width: Int, height: Int, seed: UInt64) -> Image {
    var random = SplitMix64(seed: seed)
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<3 {
          let wave = 127.5 + 90 * sin(Double(x) * 0.13 + Double(c)) * cos(Double(y) * 0.09)
          let noise = Double(random.next() % 64) - 32
          pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, wave + noise)))
        }
      }
    }
    return Image(width: width, height: height, channels: 3, pixels: pixels)
  }

  static func detector(planarKernels: PlanarInstructions?, padsBorders: Bool) throws
    -> MTCNNDetector
  {
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    return try MTCNNDetector(
      file: try ModelFile.read(from: url), minFaceSize: 12, padsBorders: padsBorders,
      retriesTurned: false, planarKernels: planarKernels)
  }

  /// Sizes whose levels (scale 1, then 0.709ⁿ) give maps of 1 to 9 rows, one chunk and one
  /// more row, odd and even band heights, widths below and past a tile, and (1000 × 800) a
  /// level split into several bands.
  static let sizes: [(width: Int, height: Int)] = [
    (12, 12), (21, 33), (33, 21), (47, 61), (64, 64), (130, 97), (301, 45), (1000, 800),
  ]

  @Test(arguments: PlanarInstructions.supported, [false, true])
  func everyLevelGivesTheGenericMaps(kernels: PlanarInstructions, padsBorders: Bool)
    async throws
  {
    let generic = try Self.detector(planarKernels: nil, padsBorders: padsBorders)
    let planar = try Self.detector(planarKernels: kernels, padsBorders: padsBorders)
    #expect(planar.pnetKernels == kernels)
    let results = try await offCooperativePool {
      try Self.sizes.enumerated().map { index, size in
        let image = Self.image(width: size.width, height: size.height, seed: UInt64(index + 1))
        let a = try generic.pnetProbabilities(in: image, quantized: false)
        let b = try planar.pnetProbabilities(in: image, quantized: false)
        var worst: Float = 0
        for (x, y) in zip(a, b) {
          for (p, q) in zip(x, y) {
            worst = max(worst, p.isNaN || q.isNaN ? .infinity : abs(p - q))
          }
        }
        return (size, a.map(\.count), b.map(\.count), worst)
      }
    }
    for (size, generic, planar, worst) in results {
      #expect(generic == planar, "\(size): map sizes")
      #expect(!generic.isEmpty || min(size.width, size.height) < 12, "\(size): no level")
      #expect(worst < 1e-4, "\(size): largest difference \(worst)")
    }
  }

  /// The maps' memory is kept from detection to detection and grows with the largest: after
  /// larger images and smaller ones, in either order, each image's maps are the same floats.
  @Test func mapsDoNotDependOnTheImagesBefore() async throws {
    guard let kernels = PlanarInstructions.best else { return }
    let detector = try Self.detector(planarKernels: kernels, padsBorders: true)
    let images = Self.sizes.enumerated().map { index, size in
      Self.image(width: size.width, height: size.height, seed: UInt64(index + 1))
    }
    let (forward, backward) = try await offCooperativePool {
      (
        try images.map { try detector.pnetProbabilities(in: $0, quantized: false) },
        try images.reversed().map { try detector.pnetProbabilities(in: $0, quantized: false) }
      )
    }
    for (index, (a, b)) in zip(forward, backward.reversed()).enumerated() {
      #expect(a.map(\.count) == b.map(\.count), "\(Self.sizes[index]): map sizes")
      let firstDifference = zip(a.joined(), b.joined()).enumerated().first {
        $0.element.0.bitPattern != $0.element.1.bitPattern
      }
      #expect(firstDifference == nil, "\(Self.sizes[index]): first difference \(firstDifference!)")
    }
  }
}
