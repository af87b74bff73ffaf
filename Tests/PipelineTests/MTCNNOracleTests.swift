import Datasets
import Foundation
import Pipeline
import Tensor
import TestSupport
import Testing
import Vision

/// The Swift MTCNN against facenet-pytorch 2.6.0 on the shared photos (fixture from
/// Scripts/fixtures/mtcnn_reference.py): the same faces, boxes and landmarks within 1 pixel,
/// probabilities within 1e-3.
@Suite(.serialized) struct MTCNNOracleTests {
  struct Reference: Decodable {
    struct Face: Decodable {
      var box: [Double]
      var score: Double
      var landmarks: [[Double]]
    }
    struct Photo: Decodable {
      var file: String
      var width: Int
      var height: Int
      var pixelSum: Int
      var faces: [Face]
      enum CodingKeys: String, CodingKey {
        case file, width, height, faces
        case pixelSum = "pixel_sum"
      }
    }
    var photos: [Photo]
  }

  /// The detector as facenet-pytorch runs: without the grey border (``MTCNNDetector/padsBorders``)
  /// or turned second looks (``MTCNNDetector/retriesTurned``); P-Net on `planarKernels` (nil:
  /// the network's generic layers).
  static func detector(planarKernels: PlanarInstructions? = PlanarInstructions.best) throws
    -> MTCNNDetector
  {
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    return try MTCNNDetector(
      file: try ModelFile.read(from: url), padsBorders: false, retriesTurned: false,
      planarKernels: planarKernels)
  }

  /// The shared JPEG photos in RGB, by name; nil without the shared data.
  static func sharedPhotos() throws -> [(String, Image)]? {
    guard let photos = try SharedData.path("datasets/photos") else { return nil }
    return try FileManager.default.contentsOfDirectory(atPath: photos.path).sorted()
      .filter { $0.hasSuffix(".jpg") }
      .map { file in
        (
          file,
          try Image(
            contentsOfFile: photos.appendingPathComponent(file).path,
            options: DecodeOptions(colour: .rgb))
        )
      }
  }

  /// What float P-Net runs on in the comparison with facenet-pytorch: the generic layers (what
  /// CPUs without AVX2 run) and the best planar kernels here (AVX2's are compared with the
  /// generic layers below).
  static let pnetKernels: [PlanarInstructions?] =
    [nil]
    + [PlanarInstructions.best].filter {
      $0 != nil
    }

  @Test(arguments: pnetKernels)
  func matchesFacenetPyTorchOnTheSharedPhotos(planarKernels: PlanarInstructions?) async throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let url = SharedData.fixture("PipelineTests", "mtcnn_photos.json")
    let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    #expect(reference.photos.count == 8)
    let detector = try Self.detector(planarKernels: planarKernels)
    #expect(detector.pnetKernels == planarKernels)
    // Decoding and detection off the cooperative pool (OffCooperativePool.swift), the checks here.
    let found = try await offCooperativePool {
      try reference.photos.map { photo in
        let image = try Image(
          contentsOfFile: photos.appendingPathComponent(photo.file).path,
          options: DecodeOptions(colour: .rgb))
        let sum = image.pixels.reduce(0) { $0 + Int($1) }
        return (image.width, image.height, sum, try detector.detect(in: image))
      }
    }
    var worst = (box: 0.0, score: 0.0, landmark: 0.0)
    defer { print("MTCNN vs facenet-pytorch: largest differences \(worst)") }
    for (photo, (width, height, sum, faces)) in zip(reference.photos, found) {
      #expect(width == photo.width && height == photo.height, "\(photo.file)")
      #expect(sum == photo.pixelSum, "\(photo.file): decoded pixels differ from Pillow's")
      #expect(faces.count == photo.faces.count, "\(photo.file): \(faces.count) faces")
      // Pair each reference face with the detection whose box is nearest.
      var unused = faces
      for expected in photo.faces {
        let corners = expected.box
        func distance(_ f: DetectedFace) -> Double {
          let d = [
            f.left - corners[0], f.top - corners[1], f.right - corners[2], f.bottom - corners[3],
          ]
          return d.map(abs).max()!
        }
        guard let best = unused.indices.min(by: { distance(unused[$0]) < distance(unused[$1]) })
        else { break }
        let face = unused.remove(at: best)
        #expect(distance(face) <= 1, "\(photo.file): box \(face) vs \(corners)")
        worst.box = max(worst.box, distance(face))
        worst.score = max(worst.score, abs(face.score - expected.score))
        #expect(abs(face.score - expected.score) <= 1e-3, "\(photo.file): score \(face.score)")
        #expect(face.landmarks.count == 5)
        for (point, e) in zip(face.landmarks, expected.landmarks) {
          worst.landmark = max(worst.landmark, abs(point.x - e[0]), abs(point.y - e[1]))
          #expect(
            abs(point.x - e[0]) <= 1 && abs(point.y - e[1]) <= 1,
            "\(photo.file): landmark \(point) vs \(e)")
        }
      }
    }
  }

  @Test(arguments: pnetKernels)
  func greyAndTinyImagesGiveNoCrash(planarKernels: PlanarInstructions?) throws {
    let detector = try Self.detector(planarKernels: planarKernels)
    #expect(try detector.detect(in: Image(width: 0, height: 0, channels: 3)).isEmpty)
    #expect(try detector.detect(in: Image(width: 11, height: 300, channels: 1)).isEmpty)
    #expect(try detector.detect(in: Image(width: 64, height: 48, channels: 1)).isEmpty)
    #expect(try detector.detect(in: Image(width: 12, height: 12, channels: 3)).isEmpty)
  }

  /// P-Net's face probabilities on the planar kernels are the generic layers' up to the order of
  /// the sums, on every pyramid level of the shared photos (narrow small levels included).
  @Test(arguments: PlanarInstructions.supported)
  func planarPNetGivesTheGenericProbabilities(kernels: PlanarInstructions) async throws {
    guard let photos = try Self.sharedPhotos() else { return }
    let generic = try Self.detector(planarKernels: nil)
    let planar = try Self.detector(planarKernels: kernels)
    let (worst, windows, sameShapes) = try await offCooperativePool {
      var worst: Float = 0
      var windows = 0
      var sameShapes = true
      for (_, image) in photos {
        let a = try generic.pnetProbabilities(in: image, quantized: false)
        let b = try planar.pnetProbabilities(in: image, quantized: false)
        sameShapes = sameShapes && a.map(\.count) == b.map(\.count)
        for (x, y) in zip(a, b) {
          for (p, q) in zip(x, y) { worst = max(worst, abs(p - q)) }
          windows += x.count
        }
      }
      return (worst, windows, sameShapes)
    }
    #expect(sameShapes)
    #expect(windows > 100_000)
    #expect(worst < 1e-4, "largest difference \(worst)")
  }

  /// R- and O-Net's face probabilities on the pixel-major kernels (batches of crops through the
  /// dense layers) are the generic layers' up to the order of the sums, over every crop they
  /// judge on the shared photos. (Both on one detector's crops: boxes from P-Nets whose sums
  /// differ in order can truncate to crops a pixel apart.)
  @Test(arguments: PlanarInstructions.supported)
  func pixelMajorCropNetsGiveTheGenericProbabilities(kernels: PlanarInstructions) async throws {
    guard let photos = try Self.sharedPhotos() else { return }
    let fast = try Self.detector(planarKernels: kernels)
    for side in [24, 48] {
      let (worst, crops, sameCounts) = try await offCooperativePool {
        var worst: Float = 0
        var crops = 0
        var sameCounts = true
        for (_, image) in photos {
          // The same crops (this detector's proposals) through both.
          let a = try fast.cropNetProbabilities(
            in: image, side: side, quantized: false, generic: true)
          let b = try fast.cropNetProbabilities(in: image, side: side, quantized: false)
          sameCounts = sameCounts && a.count == b.count
          for (p, q) in zip(a, b) { worst = max(worst, abs(p - q)) }
          crops += a.count
        }
        return (worst, crops, sameCounts)
      }
      #expect(sameCounts, "side \(side)")
      #expect(crops > (side == 24 ? 1000 : 20), "side \(side): \(crops) crops")
      #expect(worst < 1e-4, "side \(side): largest difference \(worst)")
    }
  }

  @Test func rejectsAMinimumFaceBelowTheNetworkWindow() throws {
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    let file = try ModelFile.read(from: url)
    #expect(throws: AnalysisError.self) { try MTCNNDetector(file: file, minFaceSize: 5) }
    #expect(throws: AnalysisError.self) { try MTCNNDetector(file: file, minFaceSize: .nan) }
  }

  @Test func aWrongModelKindIsAClearError() throws {
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/logreg.safetensors")
    #expect(throws: ModelFileError.self) {
      try MTCNNDetector(file: try ModelFile.read(from: url))
    }
  }
}

/// Area resampling through the summed-area table gives exactly the direct sums, whether its
/// scalar loop or a vector kernel reads the table.
@Suite struct AreaResamplingTests {
  /// The table's readers: the scalar loop (nil) and each vector kernel this CPU runs.
  static let readers: [PlanarInstructions?] = [nil] + PlanarInstructions.supported.map { $0 }

  @Test(arguments: [1, 3], readers)
  func tableAndDirectAgree(channels: Int, instructions: PlanarInstructions?) {
    var state: UInt64 = 12345
    let (w, h) = (37, 23)
    let pixels = (0..<(w * h * channels)).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    let image = Image(width: w, height: h, channels: channels, pixels: pixels)
    // Down, up, non-dividing sizes, a sub-region; widths below, at and past a vector (8, 16)
    // and past two.
    for (x, y, rw, rh, ow, oh) in [
      (0, 0, 37, 23, 12, 7), (0, 0, 37, 23, 24, 24), (3, 5, 17, 11, 48, 48), (10, 2, 5, 9, 3, 2),
      (0, 0, 37, 23, 37, 23), (1, 1, 36, 22, 8, 5), (0, 0, 37, 23, 16, 3), (2, 0, 35, 23, 17, 9),
      (0, 3, 37, 20, 33, 1), (36, 22, 1, 1, 1, 1),
    ] {
      let direct = AreaResampler.resampled(
        image, x: x, y: y, width: rw, height: rh, outWidth: ow, outHeight: oh,
        summedAreaTable: false)
      let table = AreaResampler.resampled(
        image, x: x, y: y, width: rw, height: rh, outWidth: ow, outHeight: oh,
        summedAreaTable: true, instructions: instructions)
      #expect(direct == table, "\(x) \(y) \(rw)x\(rh) → \(ow)x\(oh)")
    }
  }

  /// Windows whose sums pass 2³¹ (AVX2 converts only signed integers to floats) and 2²⁴ (where
  /// floats round): every vector kernel gives the scalar loop's values. (The direct sums, in floats like PyTorch's, round differently there.)
  @Test(arguments: PlanarInstructions.supported)
  func largeWindowsMatchTheScalarLoop(instructions: PlanarInstructions) {
    let (w, h) = (3000, 2900)
    var state: UInt64 = 7
    var pixels = [UInt8](repeating: 255, count: w * h * 3)
    for i in stride(from: 0, to: pixels.count, by: 97) {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
    }
    let image = Image(width: w, height: h, channels: 3, pixels: pixels)
    for (ow, oh) in [(1, 1), (3, 2), (17, 1)] {
      let scalar = AreaResampler.resampled(
        image, x: 0, y: 0, width: w, height: h, outWidth: ow, outHeight: oh,
        summedAreaTable: true)
      let vector = AreaResampler.resampled(
        image, x: 0, y: 0, width: w, height: h, outWidth: ow, outHeight: oh,
        summedAreaTable: true, instructions: instructions)
      #expect(scalar == vector, "\(ow)x\(oh)")
      // The whole photo's mean is just under 255: normalised, just under 127.5/128.
      #expect(scalar[0] > 0.97 && scalar[0] < 127.5 / 128)
    }
  }

  /// P-Net's bands resample their own rows: any split of the output rows, placed with a row
  /// and plane stride, gives exactly the whole resampling's rows (both ways of summing).
  @Test(arguments: [false, true], readers)
  func rowRangesGiveTheWholeRows(summedAreaTable: Bool, instructions: PlanarInstructions?) {
    var state: UInt64 = 99
    let (w, h) = (29, 31)
    let pixels = (0..<(w * h * 3)).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    let image = Image(width: w, height: h, channels: 3, pixels: pixels)
    let (ow, oh) = (17, 19)
    let whole = AreaResampler.resampled(
      image, x: 0, y: 0, width: w, height: h, outWidth: ow, outHeight: oh,
      summedAreaTable: summedAreaTable, instructions: instructions)
    for rows in [0..<1, 0..<7, 5..<12, 12..<19, 18..<19, 0..<19] {
      let part = AreaResampler.resampled(
        image, x: 0, y: 0, width: w, height: h, outWidth: ow, outHeight: oh,
        summedAreaTable: summedAreaTable, rows: rows, instructions: instructions)
      for c in 0..<3 {
        let expected = whole[(c * oh + rows.lowerBound) * ow..<(c * oh + rows.upperBound) * ow]
        let got = part[(c * rows.count * ow)..<((c + 1) * rows.count * ow)]
        #expect(Array(expected) == Array(got), "channel \(c), rows \(rows)")
      }
    }
  }
}
