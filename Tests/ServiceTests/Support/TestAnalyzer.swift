import Datasets
import Pipeline
import Service

/// A deterministic stand-in for the model, for route tests: it reads only the size fields of
/// PNG and JPEG headers (no pixel decoding) and derives probabilities from the bytes, so the
/// same image always gives the same answer. Its errors mimic the real decoder's cases so the
/// tests check how each is routed to a status.
struct TestAnalyzer: EmotionAnalyzer {
  var models: [ModelInfo] = [
    ModelInfo(
      name: "cnn", kind: "cnn", description: "test CNN", isDefault: true, version: "test",
      input: ModelInput(width: 48, height: 48, channels: 1),
      metrics: ModelMetrics(
        samples: 70, accuracy: 0.5, macroF1: 0.4,
        perClass: Emotion.names.map {
          ClassMetrics(emotion: $0, precision: 0.5, recall: 0.5, f1: 0.5, support: 10)
        },
        confusion: (0..<7).map { i in (0..<7).map { $0 == i ? 5 : 1 } }),
      calibration: ModelCalibration(temperature: 1.5, eceBefore: 0.1, eceAfter: 0.03)),
    ModelInfo(name: "svm", description: "test SVM"),
    ModelInfo(name: "logreg", description: "test logistic regression"),
  ]
  /// How long each analysis takes (to test requests in flight at shutdown).
  var delay: Duration = .zero

  /// Images over this many pixels are refused as too large, as the real decoder does.
  static let maxPixels = 50_000_000

  func analyze(imageBytes b: [UInt8], options: AnalyzeOptions) async throws -> AnalysisResult {
    if delay > .zero { try await Task.sleep(for: delay) }
    let (width, height) = try Self.size(b)
    guard width * height <= min(Self.maxPixels, options.maxPixels ?? .max) else {
      throw AnalyzerError.tooLarge("\(width)×\(height) pixels is over the limit")
    }
    guard width >= 48, height >= 48 else {
      throw AnalyzerError.unusable("\(width)×\(height) is smaller than a 48×48 face")
    }
    var boxes: [PixelBox]
    if let given = options.boxes {
      for box in given where box.x + box.width > width || box.y + box.height > height {
        throw AnalyzerError.unusable("box \(box) is outside the \(width)×\(height) image")
      }
      boxes = given
    } else if options.detect {
      boxes = [
        PixelBox(x: width / 4, y: height / 4, width: width / 2, height: height / 2),
        PixelBox(x: 0, y: 0, width: width / 4, height: height / 4),
      ]
    } else {
      boxes = [PixelBox(x: 0, y: 0, width: width, height: height)]
    }
    if let maxFaces = options.maxFaces { boxes = Array(boxes.prefix(maxFaces)) }
    let modelSalt = options.model.utf8.reduce(0) { $0 &+ Int($1) }
    let faces = boxes.enumerated().map { (i, box) in
      // Weights from the bytes, the face index and the model; normalised to probabilities.
      let weights = (0..<7).map { k -> Double in
        var h = 1469 &+ k &* 31 &+ i &* 7 &+ modelSalt
        for (j, byte) in b.enumerated() where j % 7 == k { h = (h &* 33) ^ Int(byte) }
        return Double(abs(h) % 1000 + 1)
      }
      let total = weights.reduce(0, +)
      return FaceResult(
        box: box, emotions: EmotionScores(probabilities: weights.map { $0 / total })!)
    }
    return AnalysisResult(width: width, height: height, faces: faces)
  }

  /// Width and height from a PNG IHDR or a JPEG SOF marker; not-an-image errors otherwise.
  static func size(_ b: [UInt8]) throws -> (Int, Int) {
    func be(_ i: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 << 8 | Int(b[i + $1]) } }
    if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
      guard b.count >= 33, Array(b[12..<16]) == Array("IHDR".utf8) else {
        throw AnalyzerError.notAnImage("truncated PNG header")
      }
      guard b.suffix(8).starts(with: Array("IEND".utf8)) else {
        throw AnalyzerError.notAnImage("truncated PNG: no IEND chunk")
      }
      return (be(16, 4), be(20, 4))
    }
    if b.starts(with: [0xFF, 0xD8]) {
      guard b.suffix(2) == [0xFF, 0xD9] else {
        throw AnalyzerError.notAnImage("truncated JPEG: no end-of-image marker")
      }
      var i = 2
      while i + 9 < b.count {
        guard b[i] == 0xFF else { break }
        let marker = b[i + 1]
        if marker == 0xC0 || marker == 0xC2 { return (be(i + 7, 2), be(i + 5, 2)) }
        i += 2 + be(i + 2, 2)
      }
      throw AnalyzerError.notAnImage("JPEG without a frame header")
    }
    throw AnalyzerError.notAnImage("not a JPEG, PNG or WebP image")
  }
}

/// Byte-level test images: headers only, enough for `TestAnalyzer.size`.
enum TestImages {
  static func png(width: Int, height: Int) -> [UInt8] {
    func be32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (24 - 8 * $0)) & 0xFF) } }
    let ihdr =
      be32(13) + Array("IHDR".utf8) + be32(width) + be32(height) + [8, 0, 0, 0, 0]
      + [0, 0, 0, 0]
    let iend = be32(0) + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + ihdr + iend
  }

  static func jpeg(width: Int, height: Int, seed: UInt8 = 0) -> [UInt8] {
    let sof: [UInt8] = [
      0xFF, 0xC0, 0x00, 0x0B, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8),
      UInt8(width & 0xFF), 0x01, 0x01, 0x11, 0x00,
    ]
    let payload: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: Int($0) &* 37 &+ Int(seed)) }
    return [0xFF, 0xD8] + sof + [0xFF, 0xFE, 0x00, 0x42] + payload + [0xFF, 0xD9]
  }
}
